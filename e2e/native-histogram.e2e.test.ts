import { container, Runometer } from '@runometer/core';
import { nativeQuantileError, worstQuantileError } from '@runometer/core/format';
import { DURATION_BUCKETS, DURATION_NATIVE, HttpPreset, HttpRecorder } from '@runometer/preset-http';
import { serve, type ServerHandle } from '@runometer/server-hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BATCH_MS, batchFeeder, METHOD, nearestRank, PROFILES, ROUTE } from './latency-profiles.js';
import { startPrometheus, type Prometheus } from './prometheus.js';

// Prometheus native histograms, end to end: preset-http's recorder fed a batch of requests of
// known durations every BATCH_MS (on a clock that jumps by each one's duration), served by
// server-hono and scraped by two real Prometheus 2.42: one with --enable-feature=native-histograms,
// which asks for the protobuf exposition and stores the native histogram, and one without, which
// asks for text and stores the classic buckets of the same target.

const BATCH = PROFILES['fast-with-tail']!;
/** The durations of the series the queries read: route, method and status class 2xx. */
const TRUE_SECONDS = BATCH.filter(({ status }) => status < 300).map(({ ms }) => ms / 1000);
const NATIVE_ERROR = nativeQuantileError(DURATION_NATIVE.schema);
const SERIES = `shop_http_request_duration_seconds{route="${ROUTE}",method="${METHOD}",status_class="2xx"}`;

let server: ServerHandle;
let timer: ReturnType<typeof setInterval>;
let native: Prometheus;
let classic: Prometheus;
const figures: string[] = [];

beforeAll(async () => {
  const serveBatch = batchFeeder(container.resolve(HttpRecorder), BATCH);
  server = await serve(new Runometer('shop').use(HttpPreset), { port: 0, minRenderInterval: 0 });
  serveBatch();
  timer = setInterval(serveBatch, BATCH_MS);
  const config = `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: shop\n    static_configs:\n      - targets: ['127.0.0.1:${server.port}']\n`;
  [native, classic] = await Promise.all([startPrometheus(config, ['--enable-feature=native-histograms']), startPrometheus(config)]);
});

afterAll(async () => {
  clearInterval(timer);
  await Promise.all([native?.stop(), classic?.stop()]);
  await server?.close();
  console.log(`native histograms e2e (true quantiles of the batch's 2xx durations):\n${figures.join('\n')}`);
});

/** The query's one value, once the Prometheus has two scrapes to take a rate of. */
async function valueOf(prometheus: Prometheus, promql: string): Promise<number> {
  for (let attempt = 0; attempt < 80; attempt++) {
    const result = await prometheus.query(promql);
    if (result.length === 1 && !Number.isNaN(Number(result[0]!.value[1]))) return Number(result[0]!.value[1]);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${promql} gave no single value in 20 s`);
}

describe('Prometheus 2.42 with native histograms', () => {
  test.each([0.5, 0.9, 0.99])(
    'histogram_quantile(%s, rate(…[1m])) over the native series is within the schema’s error of the true quantile',
    async (q) => {
      const estimate = await valueOf(native, `histogram_quantile(${q}, rate(${SERIES}[1m]))`);
      const truth = nearestRank(TRUE_SECONDS, q);
      const error = Math.abs(estimate - truth) / truth;
      figures.push(`  p${q * 100}: true ${truth.toFixed(4)} s, native ${estimate.toFixed(4)} s, off by ${(error * 100).toFixed(2)}%`);
      expect(error).toBeLessThanOrEqual(NATIVE_ERROR);
    },
  );

  test('stores the histogram as one native series: no _bucket, _sum or _count series', async () => {
    expect(await valueOf(native, `histogram_count(rate(${SERIES}[1m]))`)).toBeGreaterThan(0);
    for (const suffix of ['_bucket', '_sum', '_count']) {
      expect(await native.query(`{__name__="shop_http_request_duration_seconds${suffix}"}`)).toEqual([]);
    }
  });

  test("every other family arrives through the protobuf exposition under the text format's names", async () => {
    await valueOf(native, `histogram_count(rate(${SERIES}[1m]))`);
    const namesIn = async (prometheus: Prometheus) =>
      (await prometheus.query('count by (__name__) ({__name__=~"shop_.+"})')).map(({ metric }) => metric['__name__']!).sort();
    const classicNames = (await namesIn(classic)).filter((name) => !/^shop_http_request_duration_seconds_(bucket|sum|count)$/.test(name));
    expect(classicNames).toContain('shop_http_requests_in_flight');
    expect(classicNames).toContain('shop_http_route_overflow_requests_total');
    // The classic histogram's three series are one native series.
    expect(await namesIn(native)).toEqual([...classicNames, 'shop_http_request_duration_seconds'].sort());
  });
});

describe('Prometheus 2.42 without the flag, the same target', () => {
  test('gets the classic buckets, and histogram_quantile over them is within the classic layout’s error', async () => {
    const estimate = await valueOf(classic, `histogram_quantile(0.99, rate(${SERIES.replace('{', '_bucket{')}[1m]))`);
    const truth = nearestRank(TRUE_SECONDS, 0.99);
    const error = Math.abs(estimate - truth) / truth;
    figures.push(`  p99 from the classic buckets: ${estimate.toFixed(4)} s, off by ${(error * 100).toFixed(2)}%`);
    expect(error).toBeLessThanOrEqual(worstQuantileError(DURATION_BUCKETS));
    expect(await classic.query(`histogram_count(rate(${SERIES}[1m]))`)).toEqual([]);
  });
});
