import { fileURLToPath } from 'node:url';
import { nativeQuantileError } from '@runometer/core/format';
import { DURATION_NATIVE } from '@runometer/preset-http';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SLO_RULES } from '../dashboards/generate.js';
import { readDashboards, runTarget, type Dashboard, type Store, type Target } from './dashboards.js';
import { scrapeConfig, serveInstances, type ServedInstance } from './fleet.js';
import { bucketOf, LATENCY_FLEET, STATED_ERROR, TRUE_ERROR_RATIO, TRUE_P99 } from './latency-fleet.js';
import { startPrometheus } from './prometheus.js';
import { promqlClient } from './promql.js';

// The generated PromQL dashboards and SLO rules on the two ways a real Prometheus 2.42 stores
// preset-http's histogram: the latency fleet (e2e/latency-fleet.ts) scraped at once by one started
// with --enable-feature=native-histograms (the native series alone) and one without (the classic
// `_bucket`, `_sum`, `_count`). The fleet p99 read through the dashboards' own query is the pooled
// true p99 within each form's stated error, and the rules' ratios are the pooled ones, in both.

const root = fileURLToPath(new URL('..', import.meta.url));
const PROMQL: Dashboard = readDashboards(`${root}dashboards/prometheus`).find(({ file }) => file.endsWith('/fleet-overview.json'))!;
const NATIVE_ERROR = nativeQuantileError(DURATION_NATIVE.schema);
const FEED_MS = 30_000;

const stops: (() => Promise<void>)[] = [];
let served: ServedInstance[] = [];
let stores: { classic: Store; native: Store };
let range: { from: number; to: number };
const figures: string[] = [];

const storeOf = (name: string, url: string): Store => ({
  name,
  kind: 'prometheus',
  identityLabel: 'instance',
  identity: (instance) => instance.target,
  promql: promqlClient(url),
});

beforeAll(async () => {
  served = await serveInstances(LATENCY_FLEET, stops);
  const config = scrapeConfig(served, [`${root}${SLO_RULES}`]);
  const [native, classic] = await Promise.all([startPrometheus(config, ['--enable-feature=native-histograms']), startPrometheus(config)]);
  stops.push(native.stop, classic.stop);
  stores = { classic: storeOf('Prometheus 2.42', classic.url), native: storeOf('Prometheus 2.42, native histograms', native.url) };
  const from = Date.now();
  await new Promise((resolve) => setTimeout(resolve, FEED_MS));
  range = { from, to: Date.now() };
}, 180_000);

afterAll(async () => {
  await Promise.allSettled(
    stops
      .splice(0)
      .reverse()
      .map((stop) => stop()),
  );
  console.log(`fleet p99 of request durations, seconds (true, pooled: ${TRUE_P99.toFixed(4)}):\n${figures.join('\n')}`);
}, 60_000);

const legend = (name: string) => (target: Target) => target.legendFormat === name;
const lastOf = async (store: Store, panel: string, name: string) => {
  const series = await runTarget(PROMQL, panel, legend(name), store, range);
  return series.map(({ values }) => values.filter((value) => !Number.isNaN(value)).at(-1));
};

test('the classic store holds _bucket series and no native one; the native store the native series and no _bucket', async () => {
  const names = async (store: Store) =>
    (await store.promql!.query('count by (__name__) ({__name__=~"runometer_demo_http_request_duration_seconds.*"})')).map(
      ({ metric }) => metric['__name__'],
    );
  expect((await names(stores.classic)).sort()).toEqual([
    'runometer_demo_http_request_duration_seconds_bucket',
    'runometer_demo_http_request_duration_seconds_count',
    'runometer_demo_http_request_duration_seconds_sum',
  ]);
  expect(await names(stores.native)).toEqual(['runometer_demo_http_request_duration_seconds']);
});

test("the dashboards' fleet p99 is the pooled true p99 within the classic layout's error, and within the native schema's", async () => {
  const [classic] = await lastOf(stores.classic, 'Request duration p99 and p50', 'p99 fleet');
  const [native] = await lastOf(stores.native, 'Request duration p99 and p50', 'p99 fleet');
  figures.push(
    `  the dashboard's query, classic buckets: ${classic!.toFixed(4)}`,
    `  the dashboard's query, native histogram: ${native!.toFixed(4)}`,
  );
  expect(classic).toBeGreaterThan(bucketOf(TRUE_P99)[0]);
  expect(classic).toBeLessThanOrEqual(bucketOf(TRUE_P99)[1]);
  expect(Math.abs(classic! - TRUE_P99)).toBeLessThanOrEqual(STATED_ERROR * TRUE_P99);
  expect(Math.abs(native! - TRUE_P99)).toBeLessThanOrEqual(NATIVE_ERROR * TRUE_P99);
});

test.each([
  ['Request duration p99 and p50', ['p50 fleet', 'p99 {{app}}', 'p50 {{app}}']],
  ['Request duration p99, per route', ['p99 {{app}} {{route}}']],
  ['Event-loop delay p99 and p50', ['p99 fleet', 'p50 fleet', 'p99 {{app}}', 'p50 {{app}}']],
] as const)('%s: every quantile has a value in both forms', async (panel, names) => {
  for (const name of names) {
    for (const store of [stores.classic, stores.native]) {
      const values = await lastOf(store, panel, name);
      expect(values.length, `${panel} › ${name} on ${store.name}`).toBeGreaterThan(0);
      expect(
        values.every((value) => value !== undefined && value > 0),
        `${panel} › ${name} on ${store.name}`,
      ).toBe(true);
    }
  }
});

test('the panels that read _count and _bucket (they run on VictoriaMetrics too) show nothing on the native store', async () => {
  for (const [panel, name] of [
    ['Requests per second', 'fleet'],
    ['Error ratio (5xx)', 'fleet'],
    ['Requests within the threshold (SLO)', 'fleet'],
  ] as const) {
    expect((await lastOf(stores.classic, panel, name)).length, `${panel} on the classic store`).toBe(1);
    expect(await lastOf(stores.native, panel, name), `${panel} on the native store`).toEqual([]);
  }
});

test("the SLO rules' ratios are the pooled ones in both forms: 2.3% of 5xx, no request slower than 0.3 s but the tail's 3.3%", async () => {
  const TRUE_SLOW = 10 / 300;
  for (const store of [stores.classic, stores.native]) {
    const ratio = async (rule: string) => {
      const answer = await store.promql!.query(`${rule}{app="checkout"}`, range.to / 1000);
      expect(answer.length, `${rule} on ${store.name}`).toBe(1);
      return Number(answer[0]!.values[0]![1]);
    };
    const errors = await ratio('app:runometer_demo_http_request_errors:ratio_rate5m');
    const slow = await ratio('app:runometer_demo_http_request_slow:ratio_rate5m');
    figures.push(
      `  rules on ${store.name}: errors ${errors.toFixed(4)} (true ${TRUE_ERROR_RATIO.toFixed(4)}), slow ${slow.toFixed(4)} (true ${TRUE_SLOW.toFixed(4)})`,
    );
    expect(Math.abs(errors - TRUE_ERROR_RATIO)).toBeLessThanOrEqual(0.1 * TRUE_ERROR_RATIO);
    expect(Math.abs(slow - TRUE_SLOW)).toBeLessThanOrEqual(0.1 * TRUE_SLOW);
  }
});
