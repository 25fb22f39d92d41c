import { fileURLToPath } from 'node:url';
import { leLabels } from '@runometer/core/format';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { SLO_RULES } from '../dashboards/generate.js';
import { LATENCY_OBJECTIVE, REQUEST_DURATION } from '../dashboards/slo.js';
import { quantile } from '../packages/server-hono/browser/quantiles.js';
import { fleetStores, readDashboards, runDashboards, runTarget, verdict, type Dashboard, type Target } from './dashboards.js';
import { startFleet, type Fleet } from './fleet.js';
import {
  BOUNDS,
  bucketOf,
  LATENCY_FLEET,
  POOLED,
  PROFILE_NAMES,
  seconds,
  STATED_ERROR,
  TRUE_ERROR_RATIO,
  TRUE_P99,
} from './latency-fleet.js';
import { nearestRank } from './latency-profiles.js';

// The fleet's latency, told true: three instances of one app whose request durations are known
// (e2e/latency-profiles.js), scraped by a real Prometheus 2.42 and written to a real InfluxDB 1.6
// as Telegraf would. The fleet p99 read through the generated dashboards' own queries matches the
// pooled true p99 within the bucket layout's error; the mean of the instances' own p99s does not.

const root = fileURLToPath(new URL('..', import.meta.url));
const overview = (store: string): Dashboard => {
  const found = readDashboards(`${root}dashboards/${store}`).find((dashboard) => dashboard.file.endsWith('/fleet-overview.json'));
  if (found === undefined) throw new Error(`dashboards/${store} has no fleet-overview.json: run npm run dashboards`);
  return found;
};
const PROMQL = overview('prometheus');
const INFLUXQL = overview('influxdb');

const TRUE_INSTANCE_P99 = PROFILE_NAMES.map((profile) => nearestRank(seconds(profile), 0.99));
const TRUE_WITHIN_THRESHOLD = POOLED.filter((duration) => duration <= LATENCY_OBJECTIVE.threshold).length / POOLED.length;

const legend = (name: string) => (target: Target) => target.legendFormat === name || target.alias === name;
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const defined = (values: readonly number[]) => values.filter((value) => !Number.isNaN(value));

let fleet: Fleet | undefined;
let starting: Promise<Fleet> | undefined;
const figures: [string, number][] = [];

beforeAll(async () => {
  starting = startFleet({ feedSeconds: 30, served: LATENCY_FLEET, ruleFiles: [`${root}${SLO_RULES}`] });
  fleet = await starting;
}, 180_000);

afterAll(async () => {
  if (figures.length > 0) {
    const width = Math.max(...figures.map(([what]) => what.length));
    console.log(
      ['fleet p99 of request durations, seconds:', ...figures.map(([what, value]) => `  ${what.padEnd(width)}  ${value.toFixed(4)}`)].join(
        '\n',
      ),
    );
  }
  await starting?.then(
    (started) => started.stop(),
    () => {},
  );
}, 120_000);

const stores = () => {
  const [influxdb, prometheus, victoriaScrape] = fleetStores(fleet!);
  return { influxdb: influxdb!, prometheus: prometheus!, victoriaScrape: victoriaScrape! };
};

test('the profiles: the pooled p99 is in the tail one instance has, far above two of the three instances’ p99s', () => {
  expect(bucketOf(TRUE_P99)).toEqual([0.3, 0.5]);
  expect(TRUE_INSTANCE_P99.map((p99) => bucketOf(p99))).toEqual([
    [0.3, 0.5],
    [0.05, 0.1],
    [0.1, 0.2],
  ]);
  figures.push(['true, pooled over the three instances', TRUE_P99], ["mean of the instances' true p99s", mean(TRUE_INSTANCE_P99)]);
});

test.each(['prometheus', 'victoriaScrape'] as const)(
  "%s: the dashboards' fleet p99, from summed buckets, is the pooled true p99 within the layout's error; the mean of the instances' p99s misses it",
  async (name) => {
    const store = stores()[name];
    const [fleetP99] = await runTarget(PROMQL, 'Request duration p99 and p50', legend('p99 fleet'), store, fleet!);
    const fromBuckets = fleetP99!.values.at(-1)!;
    figures.push([`from buckets, the dashboard's query on ${store.name}`, fromBuckets]);
    expect(fromBuckets).toBeGreaterThan(bucketOf(TRUE_P99)[0]);
    expect(fromBuckets).toBeLessThanOrEqual(bucketOf(TRUE_P99)[1]);
    expect(Math.abs(fromBuckets - TRUE_P99)).toBeLessThanOrEqual(STATED_ERROR * TRUE_P99);

    // Each instance's own p99, as right as its buckets allow: the same query, kept apart by instance.
    const p99Target = PROMQL.panels.find((panel) => panel.title === 'Request duration p99 and p50')!.targets!.find(legend('p99 fleet'))!;
    const perInstanceExpr = p99Target.expr!.replace('sum by (le)', 'sum by (instance, le)');
    expect(perInstanceExpr).not.toBe(p99Target.expr);
    const perInstance = await runTarget(
      { ...PROMQL, panels: [{ title: 'per instance', targets: [{ ...p99Target, expr: perInstanceExpr }] }] },
      'per instance',
      () => true,
      store,
      fleet!,
    );
    const instanceP99 = new Map(perInstance.map(({ labels, values }) => [labels['instance'], values.at(-1)!]));
    const ofProfile = PROFILE_NAMES.map(
      (profile) => instanceP99.get(fleet!.instances.find((instance) => instance.name === profile)!.target!)!,
    );
    ofProfile.forEach((p99, i) => {
      expect(p99).toBeGreaterThan(bucketOf(TRUE_INSTANCE_P99[i]!)[0]);
      expect(p99).toBeLessThanOrEqual(bucketOf(TRUE_INSTANCE_P99[i]!)[1]);
    });
    const meanOfP99s = mean(ofProfile);
    figures.push([`mean of the instances' p99s on ${store.name}`, meanOfP99s]);
    // Not even in the true p99's bucket: no layout, however fine, makes an average of quantiles a quantile.
    expect(meanOfP99s).toBeLessThanOrEqual(bucketOf(TRUE_P99)[0]);
  },
);

test("InfluxDB: the dashboards' distribution of the fleet, summed per bucket, gives the pooled true p99 within the layout's error", async () => {
  const rows = await runTarget(INFLUXQL, 'Request duration distribution', () => true, stores().influxdb, fleet!);
  const byBound = rows
    .map(({ labels, values }) => ({ le: labels['le']!, total: defined(values).reduce((sum, value) => sum + value, 0) }))
    .sort((a, b) => (a.le === '+Inf' ? 1 : b.le === '+Inf' ? -1 : Number(a.le) - Number(b.le)));
  expect(byBound.map(({ le }) => le)).toEqual(leLabels(BOUNDS));
  const cumulative = byBound.map(({ total }) => total);
  expect(cumulative).toEqual([...cumulative].sort((a, b) => a - b));
  const fromBuckets = quantile(0.99, BOUNDS, cumulative)!;
  figures.push(["from buckets, the dashboard's distribution in InfluxDB 1.6", fromBuckets]);
  expect(fromBuckets).toBeGreaterThan(bucketOf(TRUE_P99)[0]);
  expect(fromBuckets).toBeLessThanOrEqual(bucketOf(TRUE_P99)[1]);
  expect(Math.abs(fromBuckets - TRUE_P99)).toBeLessThanOrEqual(STATED_ERROR * TRUE_P99);
});

// Each instance's weight in a window is its batches there, 20 ± 1 per scrape and fewer when its
// timer is late: a share of the fleet's requests is right to a tenth of itself, or of its complement.
test.each([
  ['Error ratio (5xx)', TRUE_ERROR_RATIO],
  ['Requests within the threshold (SLO)', TRUE_WITHIN_THRESHOLD],
] as const)("%s of the fleet, through the dashboards' queries in Prometheus and InfluxDB, is the pooled share", async (panel, truth) => {
  for (const [dashboard, store] of [
    [PROMQL, stores().prometheus],
    [INFLUXQL, stores().influxdb],
  ] as const) {
    const [series] = await runTarget(dashboard, panel, legend('fleet'), store, fleet!);
    // The second half of the range: every instance has been scraped for a whole rate window.
    const shares = defined(series!.values.slice(Math.floor(series!.values.length / 2)));
    expect(shares.length).toBeGreaterThan(3);
    expect(Math.abs(mean(shares) - truth)).toBeLessThanOrEqual(0.1 * Math.min(truth, 1 - truth));
  }
});

test('a real Prometheus 2.42 evaluates the SLO rules on the fleet: its ratios are the pooled ones, and the 2.3% of 5xx burns the errors budget', async () => {
  const { prometheus } = stores();
  const at = fleet!.to / 1000;
  const ratio = async (rule: string) => {
    const [only, ...more] = await prometheus.promql!.query(`${rule}{app="checkout"}`, at);
    expect(more).toEqual([]);
    return Number(only!.values[0]![1]);
  };
  const errors = await ratio('app:runometer_demo_http_request_errors:ratio_rate5m');
  expect(Math.abs(errors - TRUE_ERROR_RATIO)).toBeLessThanOrEqual(0.1 * TRUE_ERROR_RATIO);
  const slow = await ratio('app:runometer_demo_http_request_slow:ratio_rate5m');
  expect(Math.abs(slow - (1 - TRUE_WITHIN_THRESHOLD))).toBeLessThanOrEqual(0.1 * (1 - TRUE_WITHIN_THRESHOLD));
  // 2.3% of errors is 23 times the 0.1% allowed: both burn rates are past, pending their `for`; 3.3% slow is under 6 times the 1% allowed.
  const alerts = await prometheus.promql!.query('ALERTS', at);
  expect(alerts.map(({ metric }) => [metric['alertname'], metric['severity'], metric['alertstate'], metric['app']]).sort()).toEqual([
    ['RunometerHttpErrorsBudgetBurn', 'critical', 'pending', 'checkout'],
    ['RunometerHttpErrorsBudgetBurn', 'warning', 'pending', 'checkout'],
  ]);
});

test('every query of the dashboards runs on this fleet, and each of the fleet overview’s request queries has data', async () => {
  const dashboards = readDashboards(`${root}dashboards`);
  const outcomes = await runDashboards(dashboards, fleet!, fleetStores(fleet!));
  expect(outcomes.flatMap((outcome) => verdict(outcome))).toEqual([]);
  const served = new Set(PROFILE_NAMES);
  // On every path the three instances take: the pusher's own is the pushing process's alone.
  const requestQueries = outcomes.filter(
    (outcome) =>
      outcome.dashboard.endsWith('/fleet-overview.json') &&
      outcome.fields.includes(REQUEST_DURATION.key) &&
      outcome.instances.some((name) => served.has(name)),
  );
  expect(requestQueries.length).toBeGreaterThan(10);
  expect(
    requestQueries
      .filter((outcome) => !outcome.aggregated && !outcome.withData.some((name) => served.has(name)))
      .map((outcome) => `${outcome.dashboard} › ${outcome.panel} › ${outcome.refId} on ${outcome.store}`),
  ).toEqual([]);
});
