import { spawnSync } from 'node:child_process';
import { HistogramRecorder, Runometer, toLineProtocol, toOpenMetrics, toPrometheus, type Snapshot } from '@runometer/core';
import { serve } from '@runometer/server-hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startInfluxDB, type InfluxDB } from './influxdb.js';
import { promtoolCheckMetrics, startPrometheus } from './prometheus.js';

// A histogram field as each format's own reader takes it: promtool, Python's prometheus_client
// (its OpenMetrics parser checks the rules of a histogram: +Inf, bucket order, count, canonical le)
// and InfluxDB 1.6, summing buckets across instances as a fleet query does.

const BOUNDS = [0.005, 0.01, 0.1, 1, 2.5];

/** One instance: request durations by route, and a meter-wide histogram, as a preset would declare them. */
async function instance(name: string, durations: readonly number[]): Promise<Snapshot> {
  const byRoute = new Map([
    ['/a', new HistogramRecorder(BOUNDS)],
    ['/b', new HistogramRecorder(BOUNDS)],
  ]);
  const all = new HistogramRecorder(BOUNDS);
  durations.forEach((seconds, i) => {
    byRoute.get(i % 2 === 0 ? '/a' : '/b')!.record(seconds);
    all.record(seconds);
  });
  return new Runometer('fleet', { timestamps: true })
    .addTag('instance', name)
    .addField('requests_total', () => durations.length, { type: 'integer', kind: 'counter', help: 'Requests served.' })
    .addField('wait_seconds', () => all.snapshot(), { kind: 'histogram', buckets: all.bounds, help: 'Wait of every request, in seconds.' })
    .addSeries(
      'routes',
      () => [...byRoute].map(([route, recorder]) => ({ tags: { route }, fields: { duration_seconds: recorder.snapshot() } })),
      {
        tags: ['route'],
        fields: { duration_seconds: { kind: 'histogram', buckets: BOUNDS, help: 'Request duration, in seconds.' } },
      },
    )
    .collect();
}

const python = (script: string, input: string) => spawnSync('/usr/bin/python3', ['-c', script], { input, encoding: 'utf8' });

const I2 = [0.05, 3, 0.05, 0.05, 0.05, 0.05];
let snapshots: Snapshot[];
beforeAll(async () => {
  snapshots = [await instance('i1', [0.003, 0.004, 0.4, 0.008]), await instance('i2', I2)];
});

describe('Prometheus text and OpenMetrics', () => {
  test('promtool check metrics passes the text body', () => {
    expect(promtoolCheckMetrics(toPrometheus(snapshots))).toEqual({ status: 0, output: '' });
  });

  test("prometheus_client's OpenMetrics parser reads each histogram with its buckets, sum and count", () => {
    const script = `
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
out = []
for family in text_string_to_metric_families(sys.stdin.read()):
    out.append([family.name, family.type, [[s.name, s.labels, s.value] for s in family.samples]])
print(json.dumps(out))`;
    const result = python(script, toOpenMetrics(snapshots));
    expect(result.stderr).toBe('');
    const families = JSON.parse(result.stdout) as [string, string, [string, Record<string, string>, number][]][];
    expect(families.map(([name, type, samples]) => [name, type, samples.length])).toEqual([
      ['fleet_requests', 'counter', 2],
      ['fleet_wait_seconds', 'histogram', 2 * (BOUNDS.length + 3)],
      ['fleet_duration_seconds', 'histogram', 4 * (BOUNDS.length + 3)],
    ]);
    const wait = families[1]![2].filter(([, labels]) => labels['instance'] === 'i2');
    expect(wait).toEqual([
      ['fleet_wait_seconds_bucket', { instance: 'i2', le: '0.005' }, 0],
      ['fleet_wait_seconds_bucket', { instance: 'i2', le: '0.01' }, 0],
      ['fleet_wait_seconds_bucket', { instance: 'i2', le: '0.1' }, 5],
      ['fleet_wait_seconds_bucket', { instance: 'i2', le: '1.0' }, 5],
      ['fleet_wait_seconds_bucket', { instance: 'i2', le: '2.5' }, 5],
      ['fleet_wait_seconds_bucket', { instance: 'i2', le: '+Inf' }, 6],
      ['fleet_wait_seconds_sum', { instance: 'i2' }, I2.reduce((sum, seconds) => sum + seconds)],
      ['fleet_wait_seconds_count', { instance: 'i2' }, 6],
    ]);
  });

  test('prometheus_client checks what it says it checks: +Inf written canonically, a count equal to it', () => {
    const script = `
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
try:
    list(text_string_to_metric_families(sys.stdin.read()))
except ValueError as error:
    print(error)`;
    const body = toOpenMetrics(snapshots);
    expect(python(script, body).stdout).toBe('');
    expect(python(script, body.replace('le="+Inf"', 'le="Inf"')).stdout).toMatch(/^Invalid le label/);
    expect(
      python(script, body.replace('fleet_wait_seconds_count{instance="i2"} 6', 'fleet_wait_seconds_count{instance="i2"} 7')).stdout,
    ).toBe('Count does not match +Inf value: fleet_wait_seconds\n');
  });
});

test('a real Prometheus 2.42 scrapes the histograms as OpenMetrics, and histogram_quantile reads the summed buckets', async () => {
  const server = await serve({ collect: async () => snapshots }, { port: 0 });
  const prometheus = await startPrometheus(
    `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: h\n    static_configs:\n      - targets: ['127.0.0.1:${server.port}']\n`,
  );
  try {
    let median: Awaited<ReturnType<typeof prometheus.query>> = [];
    for (let attempt = 0; attempt < 60 && median.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      median = await prometheus.query('histogram_quantile(0.5, sum by (le) (fleet_wait_seconds_bucket))');
    }
    // 10 requests: 2 up to 5 ms, 1 more to 10 ms, 5 more to 100 ms; the 5th is in (0.01, 0.1], 2/5 of the way.
    expect(median.map(({ value }) => Number(value[1]))).toEqual([0.01 + (0.1 - 0.01) * (2 / 5)]);
    const les = await prometheus.query('count by (le) (fleet_duration_seconds_bucket)');
    expect(les.map(({ metric }) => metric['le']).sort()).toEqual(['+Inf', '0.005', '0.01', '0.1', '1.0', '2.5']);
  } finally {
    await prometheus.stop();
    await server.close();
  }
});

describe('InfluxDB 1.6', () => {
  let influx: InfluxDB;
  beforeAll(async () => {
    influx = await startInfluxDB();
    await influx.query('h', 'CREATE DATABASE h');
  });
  afterAll(async () => {
    await influx?.stop();
  });

  test('takes the bucket lines, and sums each bucket across instances by grouping on le', async () => {
    expect(await influx.write('h', toLineProtocol(snapshots))).toEqual({ status: 204, text: '' });
    const [keys] = await influx.query('h', 'SHOW FIELD KEYS FROM fleet');
    expect(keys!.series![0]!.values).toEqual([
      ['duration_seconds_bucket', 'integer'],
      ['duration_seconds_count', 'integer'],
      ['duration_seconds_sum', 'float'],
      ['requests_total', 'integer'],
      ['wait_seconds_bucket', 'integer'],
      ['wait_seconds_count', 'integer'],
      ['wait_seconds_sum', 'float'],
    ]);
    // The fleet's distribution: the last count of each instance's bucket, summed per le.
    const [fleet] = await influx.query(
      'h',
      'SELECT sum("last") FROM (SELECT last("wait_seconds_bucket") FROM fleet GROUP BY "instance", "le") GROUP BY "le"',
    );
    const byLe = Object.fromEntries(fleet!.series!.map((series) => [series.tags!['le'], series.values[0]![1]]));
    expect(byLe).toEqual({ '0.005': 2, '0.01': 3, '0.1': 8, '1.0': 9, '2.5': 9, '+Inf': 10 });
    const [count] = await influx.query('h', 'SELECT sum("last") FROM (SELECT last("wait_seconds_count") FROM fleet GROUP BY "instance")');
    expect(count!.series![0]!.values[0]![1]).toBe(10);
    // A series' histogram: per route across the fleet.
    const [routes] = await influx.query(
      'h',
      'SELECT sum("last") FROM (SELECT last("duration_seconds_bucket") FROM fleet WHERE "le" = \'+Inf\' GROUP BY "instance", "route") GROUP BY "route"',
    );
    expect(Object.fromEntries(routes!.series!.map((series) => [series.tags!['route'], series.values[0]![1]]))).toEqual({
      '/a': 5,
      '/b': 5,
    });
  });
});
