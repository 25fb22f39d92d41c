import type { CatalogEntry } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { INFLUXQL } from './influxql.js';
import { PROMQL } from './promql.js';

const entry = (fields: Partial<CatalogEntry>): CatalogEntry => ({
  preset: 'test',
  key: 'x',
  type: 'float',
  kind: 'gauge',
  unit: 'count',
  requires: [],
  ...fields,
});
const gauge = entry({ key: 'queue_depth' });
const counter = entry({ key: 'jobs_total', kind: 'counter' });
const seriesCounter = entry({ key: 'gc_pause_seconds_total', kind: 'counter', unit: 'seconds', series: 'gc', seriesTags: ['gc_kind'] });
const started = entry({ key: 'start_time_seconds', unit: 'epoch_seconds' });

const FLEET_PROM = '{app=~"$app",host=~"$host",runtime=~"$runtime",worker=~"$worker",thread=~"$thread",${instance_label}=~"$instance"}';
const INSTANCE_PROM = '{app=~"$app",${instance_label}="$instance",worker=~"$worker",thread=~"$thread"}';
const FLEET_INFLUX =
  'WHERE $timeFilter AND "app" =~ /^$app$/ AND "host" =~ /^$host$/ AND "runtime" =~ /^$runtime$/ AND "worker" =~ /^$worker$/ AND "thread" =~ /^$thread$/ ' +
  'AND ("url" =~ /^$instance$/ OR "instance" =~ /^$instance$/)';
const INSTANCE_INFLUX = `WHERE $timeFilter AND "app" =~ /^$app$/ AND ("url" = '$instance' OR "instance" = '$instance') AND "worker" =~ /^$worker$/ AND "thread" =~ /^$thread$/`;
const BY_INSTANCE = '"app", "host", "runtime", "url", "instance", "worker", "thread"';

describe('PromQL', () => {
  test('a gauge is its metric, a counter its rate; the metric is <measurement>_<key> on every path', () => {
    expect(PROMQL.overTime(gauge, 'fleet').expr).toBe(`\${measurement}_queue_depth${FLEET_PROM}`);
    expect(PROMQL.overTime(counter, 'instance').expr).toBe(`rate(\${measurement}_jobs_total${INSTANCE_PROM}[$__rate_interval])`);
  });

  test("a series field's lines are apart in the drill-down, summed per instance when asked", () => {
    expect(PROMQL.overTime(seriesCounter, 'instance')).toMatchObject({ legendFormat: '{{gc_kind}} {{worker}} {{thread}}' });
    expect(PROMQL.overTime(gauge, 'instance')).toMatchObject({ legendFormat: 'queue_depth {{worker}} {{thread}}' });
    expect(PROMQL.overTime(seriesCounter, 'fleet', { sumOverSeries: true })).toMatchObject({
      expr: `sum without (gc_kind) (rate(\${measurement}_gc_pause_seconds_total${FLEET_PROM}[$__rate_interval]))`,
      legendFormat: '{{app}} {{instance}}{{url}} {{worker}} {{thread}}',
    });
  });

  test('epoch seconds are multiplied into milliseconds', () => {
    expect(PROMQL.overTime(started, 'instance').expr).toBe(`\${measurement}_start_time_seconds${INSTANCE_PROM} * 1000`);
  });

  test('the worst of each instance is an instant table query over the range; a counter has none', () => {
    expect(PROMQL.worst(gauge, 'depth')).toMatchObject({
      expr: `max by (app, host, runtime, instance, url, worker, thread) (max_over_time(\${measurement}_queue_depth${FLEET_PROM}[$__range]))`,
      instant: true,
      format: 'table',
    });
    expect(PROMQL.worstRatio(gauge, entry({ key: 'queue_limit' }), 'depth_of_limit').expr).toBe(
      'max by (app, host, runtime, instance, url, worker, thread) (max_over_time((' +
        `\${measurement}_queue_depth${FLEET_PROM} / \${measurement}_queue_limit${FLEET_PROM})[$__range:$__interval]))`,
    );
    expect(() => PROMQL.worst(counter, 'jobs')).toThrow('"jobs_total" is a counter: its greatest value over a range is its last');
  });
});

describe('InfluxQL', () => {
  test("a gauge is its mean per interval, a counter its non-negative rate per second, raw queries on the variables' filters", () => {
    expect(INFLUXQL.overTime(gauge, 'fleet')).toMatchObject({
      query: `SELECT mean("queue_depth") AS "queue_depth" FROM "$measurement" ${FLEET_INFLUX} GROUP BY time($__interval), ${BY_INSTANCE} fill(none)`,
      rawQuery: true,
      resultFormat: 'time_series',
      alias: '$tag_app $tag_url$tag_instance $tag_worker $tag_thread',
    });
    expect(INFLUXQL.overTime(counter, 'instance').query).toBe(
      `SELECT non_negative_derivative(max("jobs_total"), 1s) AS "jobs_total" FROM "$measurement" ${INSTANCE_INFLUX} GROUP BY time($__interval), "worker", "thread" fill(none)`,
    );
  });

  test("a series field's lines are apart in the drill-down, summed per instance through a subquery when asked", () => {
    expect(INFLUXQL.overTime(seriesCounter, 'instance')).toMatchObject({
      query: `SELECT non_negative_derivative(max("gc_pause_seconds_total"), 1s) AS "gc_pause_seconds_total" FROM "$measurement" ${INSTANCE_INFLUX} GROUP BY time($__interval), "worker", "thread", "gc_kind" fill(none)`,
      alias: '$tag_gc_kind $tag_worker $tag_thread',
    });
    expect(INFLUXQL.overTime(seriesCounter, 'fleet', { sumOverSeries: true }).query).toBe(
      `SELECT sum("rate") AS "gc_pause_seconds_total" FROM (SELECT non_negative_derivative(max("gc_pause_seconds_total"), 1s) AS "rate" FROM "$measurement" ${FLEET_INFLUX} ` +
        `GROUP BY time($__interval), ${BY_INSTANCE}, "gc_kind") WHERE $timeFilter GROUP BY time($__interval), ${BY_INSTANCE} fill(none)`,
    );
  });

  test('epoch seconds are multiplied into milliseconds', () => {
    expect(INFLUXQL.overTime(started, 'instance').query).toBe(
      `SELECT mean("start_time_seconds") * 1000 AS "start_time_seconds" FROM "$measurement" ${INSTANCE_INFLUX} GROUP BY time($__interval), "worker", "thread" fill(none)`,
    );
  });

  test('the worst of each instance is a table, its column named by the alias', () => {
    expect(INFLUXQL.worst(gauge, 'depth')).toMatchObject({
      query: `SELECT max("queue_depth") AS "depth" FROM "$measurement" ${FLEET_INFLUX} GROUP BY ${BY_INSTANCE}`,
      resultFormat: 'table',
    });
    expect(INFLUXQL.worstRatio(gauge, entry({ key: 'queue_limit' }), 'depth_of_limit').query).toBe(
      `SELECT max("ratio") AS "depth_of_limit" FROM (SELECT "queue_depth" / "queue_limit" AS "ratio" FROM "$measurement" ${FLEET_INFLUX} GROUP BY ${BY_INSTANCE}) GROUP BY ${BY_INSTANCE}`,
    );
  });
});

describe('variables', () => {
  test.each([INFLUXQL, PROMQL])('$name: the fleet filters on every tag, the drill-down picks one instance', (store) => {
    const fleet = store.variables('fleet');
    expect(fleet.map((variable) => variable.name)).toEqual([
      'datasource',
      'measurement',
      ...(store === PROMQL ? ['instance_label'] : []),
      'app',
      'host',
      'runtime',
      'worker',
      'thread',
      'instance',
    ]);
    expect(store.variables('instance').map((variable) => variable.name)).toEqual([
      'datasource',
      'measurement',
      ...(store === PROMQL ? ['instance_label'] : []),
      'app',
      'instance',
      'worker',
      'thread',
    ]);
    const filters = [...fleet, ...store.variables('instance')].filter(
      (variable) => variable.type === 'query' && variable.name !== 'instance',
    );
    for (const variable of filters) expect(variable).toMatchObject({ multi: true, includeAll: true, allValue: '.*' });
    for (const variable of fleet.filter((variable) => variable.type === 'query'))
      expect(variable).toMatchObject({ multi: true, includeAll: true, allValue: '.*' });
    const instance = store.variables('instance').find((variable) => variable.name === 'instance');
    expect(instance).toMatchObject({ type: 'query' });
    expect(instance?.multi).toBeUndefined();
    expect(fleet.find((variable) => variable.name === 'measurement')).toMatchObject({ type: 'textbox', query: 'runometer_demo' });
  });
});

describe('instances on every path', () => {
  test('InfluxDB lists an instance by the url Telegraf scraped or the instance tag of a process that pushes, and picks it by either', () => {
    const instance = (scope: 'fleet' | 'instance') => INFLUXQL.variables(scope).find((variable) => variable.name === 'instance')!.query;
    expect(instance('instance')).toBe('SHOW TAG VALUES FROM "$measurement" WITH KEY IN ("url", "instance") WHERE "app" =~ /^$app$/');
    expect(instance('fleet')).toBe(
      'SHOW TAG VALUES FROM "$measurement" WITH KEY IN ("url", "instance") WHERE "app" =~ /^$app$/ AND "host" =~ /^$host$/ AND "runtime" =~ /^$runtime$/ AND "worker" =~ /^$worker$/ AND "thread" =~ /^$thread$/',
    );
    expect(INFLUXQL.instanceTags).toEqual(['url', 'instance']);
  });

  test("the drill-down's workers and threads are those of the instance shown", () => {
    const worker = (store: typeof INFLUXQL) => store.variables('instance').find((variable) => variable.name === 'worker')!.query;
    expect(worker(INFLUXQL)).toBe(
      `SHOW TAG VALUES FROM "$measurement" WITH KEY = "worker" WHERE "app" =~ /^$app$/ AND ("url" = '$instance' OR "instance" = '$instance')`,
    );
    expect(worker(PROMQL)).toBe('label_values(${measurement}_uptime_seconds{app=~"$app",${instance_label}="$instance"}, worker)');
  });
});

describe('histograms', () => {
  const waits = entry({
    key: 'wait_seconds',
    kind: 'histogram',
    unit: 'seconds',
    buckets: [0.1, 1],
    series: 'jobs',
    seriesTags: ['queue'],
  });
  const all = { entry: waits, sample: 'count' } as const;
  const failed = { ...all, where: { outcome: 'failed' } };
  const within = { entry: waits, sample: { le: '$threshold' } };
  const perApp = { by: ['app'], name: '' };
  const fleet = { by: [], name: 'fleet' };
  const FLEET_PROM_AND = (matcher: string) => `${FLEET_PROM.slice(0, -1)},${matcher}}`;

  test('a histogram over time is the rate of its count or of its sum; anything else is refused by name', () => {
    expect(PROMQL.overTime(waits, 'instance', { total: 'count' }).expr).toBe(
      `rate(\${measurement}_wait_seconds_count${INSTANCE_PROM}[$__rate_interval])`,
    );
    expect(INFLUXQL.overTime(waits, 'fleet', { total: 'sum', sumOverSeries: true }).query).toBe(
      `SELECT sum("rate") AS "wait_seconds_sum" FROM (SELECT non_negative_derivative(max("wait_seconds_sum"), 1s) AS "rate" FROM "$measurement" ${FLEET_INFLUX} ` +
        `GROUP BY time($__interval), ${BY_INSTANCE}, "queue") WHERE $timeFilter GROUP BY time($__interval), ${BY_INSTANCE} fill(none)`,
    );
    for (const store of [PROMQL, INFLUXQL]) {
      expect(() => store.overTime(waits, 'fleet')).toThrow(
        '"wait_seconds" is a histogram: show the rate of its count or its sum, its distribution, or its quantiles',
      );
      expect(() => store.overTime(gauge, 'fleet', { total: 'sum' })).toThrow('"queue_depth" is a gauge: it has no sum');
      expect(() => store.worst(waits, 'w')).toThrow('"wait_seconds" is a histogram: its greatest value is a quantile of its buckets');
      expect(() => store.summedRate({ entry: counter, sample: 'count' }, fleet)).toThrow(
        '"jobs_total" is a counter, not a histogram: it has no buckets, count or sum',
      );
    }
  });

  test('PromQL sums rates over the fleet per group, then divides or interpolates', () => {
    expect(PROMQL.summedRate(all, perApp)).toMatchObject({
      expr: `sum by (app) (rate(\${measurement}_wait_seconds_count${FLEET_PROM}[$__rate_interval]))`,
      legendFormat: '{{app}}',
    });
    const failedRate = `sum(rate(\${measurement}_wait_seconds_count${FLEET_PROM_AND('outcome="failed"')}[$__rate_interval]))`;
    const allRate = `sum(rate(\${measurement}_wait_seconds_count${FLEET_PROM}[$__rate_interval]))`;
    expect(PROMQL.shareOf(failed, all, fleet)).toMatchObject({
      expr: `(${failedRate} or ${allRate} * 0) / ${allRate}`,
      legendFormat: 'fleet',
    });
    expect(PROMQL.shareOf(within, all, fleet).expr).toContain(`_wait_seconds_bucket${FLEET_PROM_AND('le="$threshold"')}`);
    expect(PROMQL.quantile(waits, 0.99, { by: ['app'], name: 'p99' })).toMatchObject({
      expr:
        `histogram_quantile(0.99, sum by (app, le) (rate(\${measurement}_wait_seconds_bucket${FLEET_PROM}[$__rate_interval]))) or ` +
        `histogram_quantile(0.99, sum by (app) (rate(\${measurement}_wait_seconds${FLEET_PROM}[$__rate_interval])))`,
      legendFormat: 'p99 {{app}}',
    });
    expect(PROMQL.distribution(waits, 'instance')).toMatchObject({
      expr: `sum by (le) (rate(\${measurement}_wait_seconds_bucket${INSTANCE_PROM}[$__rate_interval]))`,
      legendFormat: '{{le}}',
      format: 'heatmap',
    });
    expect(PROMQL.boundVariable('threshold', waits, 'd', '0.1')).toMatchObject({
      query: 'label_values(${measurement}_wait_seconds_bucket, le)',
      regex: '/^\\d/',
      current: { value: '0.1' },
    });
  });

  test('InfluxQL sums each line’s rate per group through a subquery, divides two sums, and has no quantile', () => {
    const perLine = (field: string, alias: string, and = '', tags = '') =>
      `SELECT non_negative_derivative(max("${field}"), 1s) AS "${alias}" FROM "$measurement" ${FLEET_INFLUX}${and} GROUP BY time($__interval), ${BY_INSTANCE}, "queue"${tags}`;
    expect(INFLUXQL.summedRate(all, perApp)).toMatchObject({
      query: `SELECT sum("rate") AS "rate" FROM (${perLine('wait_seconds_count', 'rate')}) WHERE $timeFilter GROUP BY time($__interval), "app" fill(none)`,
      alias: '$tag_app',
    });
    expect(INFLUXQL.shareOf(within, all, fleet)).toMatchObject({
      query:
        `SELECT sum("part") / sum("whole") AS "share" FROM (${perLine('wait_seconds_bucket', 'part', ` AND "le" = '$threshold'`)}), ` +
        `(${perLine('wait_seconds_count', 'whole')}) WHERE $timeFilter GROUP BY time($__interval) fill(none)`,
      alias: 'fleet',
    });
    expect(INFLUXQL.quantile(waits, 0.99, fleet)).toBeUndefined();
    expect(INFLUXQL.distribution(waits, 'fleet')).toMatchObject({
      query: `SELECT sum("rate") AS "rate" FROM (${perLine('wait_seconds_bucket', 'rate', '', ', "le"')}) WHERE $timeFilter GROUP BY time($__interval), "le" fill(none)`,
      alias: '$tag_le',
    });
    expect(INFLUXQL.boundVariable('threshold', waits, 'd', '0.1').query).toBe(
      'SHOW TAG VALUES FROM "$measurement" WITH KEY = "le" WHERE "queue" =~ /.+/',
    );
  });
});
