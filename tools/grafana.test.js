import { describe, expect, test } from 'vitest';
import {
  applyVariableRegex,
  builtInVariables,
  formatDuration,
  grafanaInterval,
  influxqlFields,
  interpolate,
  parseLabelValues,
  promqlMetricNames,
  variableQuery,
  variablesIn,
} from './grafana.js';

/** @typedef {import('./grafana.js').GrafanaVariable} GrafanaVariable */

/** @param {Partial<GrafanaVariable> & { name: string }} variable */
const query = (variable) => ({ type: 'query', ...variable });

const urls = ['http://127.0.0.1:1/', 'http://127.0.0.1:2/'];
const instances = ['127.0.0.1:1', '127.0.0.1:2'];

describe('the interval and range variables', () => {
  test("$__interval: the range over the data points, rounded to one of Grafana's intervals, never below the minimum", () => {
    expect(grafanaInterval(40_000, 1000, 2000)).toBe(2000);
    expect(grafanaInterval(3_600_000, 1000, 0)).toBe(5000); // 3.6 s rounds to 5 s
    expect(grafanaInterval(3_600_000, 100, 0)).toBe(30_000); // 36 s rounds to 30 s
    expect(grafanaInterval(60_000, 1000, 0)).toBe(50); // 60 ms rounds to 50 ms
  });

  test('durations are written as Grafana writes them', () => {
    expect([500, 2000, 60_000, 90_000, 7_200_000].map(formatDuration)).toEqual(['500ms', '2s', '1m', '90s', '2h']);
  });

  test('$__rate_interval is the larger of $__interval plus the scrape interval and four scrape intervals', () => {
    const time = { fromMs: 1_000_000, toMs: 1_040_000, intervalMs: 2000, scrapeIntervalMs: 2000 };
    expect(builtInVariables(time)).toEqual({
      __interval: '2s',
      __interval_ms: '2000',
      __rate_interval: '8s',
      __range: '40s',
      __range_s: '40',
      __range_ms: '40000',
      timeFilter: 'time >= 1000000ms and time <= 1040000ms',
    });
    expect(builtInVariables({ ...time, intervalMs: 30_000 }).__rate_interval).toBe('32s');
  });
});

describe('template variables, as Grafana writes them into a query', () => {
  const builtIns = builtInVariables({ fromMs: 0, toMs: 60_000, intervalMs: 2000, scrapeIntervalMs: 2000 });
  const url = query({ name: 'url', includeAll: true, multi: true });
  const instance = query({ name: 'instance', includeAll: true, multi: true });
  const app = query({ name: 'app' });
  const selections = new Map([
    ['url', { variable: url, values: urls, all: true }],
    ['instance', { variable: instance, values: instances, all: true }],
    ['app', { variable: app, values: ['checkout'], all: false }],
  ]);

  test('InfluxQL: "All" is every option regex-escaped (slashes too) and joined; $var, ${var} and [[var]] alike', () => {
    const influxql =
      'SELECT mean("rss_bytes") FROM "m" WHERE "url" =~ /^$url$/ AND "app" = \'${app}\' AND [[app]] AND $timeFilter GROUP BY time($__interval)';
    expect(interpolate(influxql, 'influxdb', builtIns, selections)).toBe(
      'SELECT mean("rss_bytes") FROM "m" WHERE "url" =~ /^(http:\\/\\/127\\.0\\.0\\.1:1\\/|http:\\/\\/127\\.0\\.0\\.1:2\\/)$/ AND "app" = \'checkout\' AND checkout AND time >= 0ms and time <= 60000ms GROUP BY time(2s)',
    );
  });

  test('PromQL: multi values escaped for a regex inside a string literal; one value stands alone', () => {
    const one = new Map([['instance', { variable: instance, values: ['127.0.0.1:1'], all: false }]]);
    expect(interpolate('rate(m{instance=~"$instance"}[$__rate_interval])', 'prometheus', builtIns, selections)).toBe(
      'rate(m{instance=~"(127\\\\.0\\\\.0\\\\.1:1|127\\\\.0\\\\.0\\\\.1:2)"}[8s])',
    );
    expect(interpolate('m{instance=~"${instance}"}', 'prometheus', builtIns, one)).toBe('m{instance=~"127\\\\.0\\\\.0\\\\.1:1"}');
  });

  test("a single-valued variable stands as it is, but for PromQL's backslash and quote; InfluxQL's as it is", () => {
    const odd = new Map([['app', { variable: app, values: ["a'b\\c.d"], all: false }]]);
    expect(interpolate('m{app="$app"}', 'prometheus', builtIns, odd)).toBe('m{app="a\\\\\'b\\\\c.d"}');
    expect(interpolate('"app" = \'$app\'', 'influxdb', builtIns, odd)).toBe("\"app\" = 'a'b\\c.d'");
  });

  test('"All" with an allValue is the allValue as it is; formats pipe, csv, regex, raw', () => {
    const withAllValue = new Map([['instance', { variable: { ...instance, allValue: '.*' }, values: instances, all: true }]]);
    expect(interpolate('m{instance=~"$instance"}', 'prometheus', builtIns, withAllValue)).toBe('m{instance=~".*"}');
    expect(interpolate('${instance:pipe} ${instance:csv} [[instance:raw]] ${instance:regex}', 'prometheus', builtIns, selections)).toBe(
      '127.0.0.1:1|127.0.0.1:2 127.0.0.1:1,127.0.0.1:2 127.0.0.1:1,127.0.0.1:2 (127\\.0\\.0\\.1:1|127\\.0\\.0\\.1:2)',
    );
    expect(() => interpolate('${instance:json}', 'prometheus', builtIns, selections)).toThrow(
      'variable "instance": format "json" is not one this runner knows (regex, pipe, csv, raw)',
    );
  });

  test('a variable the dashboard does not have is an error naming it', () => {
    expect(() => interpolate('m{job="$job"}', 'prometheus', builtIns, selections)).toThrow(
      '$job is no variable of the dashboard (it has url, instance, app)',
    );
  });

  test('the variables a query refers to, in each syntax', () => {
    expect(variablesIn('a $url ${app} [[instance:raw]] $__interval $url')).toEqual(['url', 'app', 'instance', '__interval']);
  });
});

describe("variables' options", () => {
  test('label_values with and without a selector; the query as a string or { query }', () => {
    expect(parseLabelValues('label_values(instance)')).toEqual({ label: 'instance' });
    expect(parseLabelValues('label_values(m_rss_bytes{app=~"$app"}, instance)')).toEqual({
      label: 'instance',
      match: 'm_rss_bytes{app=~"$app"}',
    });
    expect(() => parseLabelValues('query_result(up)')).toThrow(
      'variable query "query_result(up)" is not label_values(label) or label_values(selector, label)',
    );
    expect(variableQuery(query({ name: 'a', query: { query: 'label_values(a)' } }))).toBe('label_values(a)');
    expect(variableQuery(query({ name: 'a', query: 'label_values(b)' }))).toBe('label_values(b)');
  });

  test("a variable's regex drops what it does not match and keeps its capture group", () => {
    expect(applyVariableRegex(['node', 'bun', 'deno'], '/^(?!bun)/')).toEqual(['node', 'deno']);
    expect(applyVariableRegex(urls, '/:(\\d+)\\//')).toEqual(['1', '2']);
    expect(applyVariableRegex(urls, undefined)).toEqual(urls);
  });
});

describe('the fields a query reads', () => {
  test("InfluxQL: the SELECT clause's identifiers, not its functions, aliases, tags or time", () => {
    expect(
      influxqlFields(
        'SELECT mean("heap_used_bytes") AS "used", max(heap_size_limit_bytes) / 2 AS limit FROM "m" WHERE "url" =~ /a/ GROUP BY time(2s), "url"',
      ),
    ).toEqual(['heap_used_bytes', 'heap_size_limit_bytes']);
    expect(influxqlFields('SELECT non_negative_derivative(mean("cpu_seconds"), 1s) * 100 FROM "m"')).toEqual(['cpu_seconds']);
    expect(
      influxqlFields(
        'SELECT max("mean") AS "worst" FROM (SELECT mean("eventloop_delay_p99_seconds") FROM "m" GROUP BY time(2s), "url") GROUP BY "url"',
      ),
    ).toEqual(['eventloop_delay_p99_seconds']);
    // An outer SELECT reads the subquery's columns, whatever they are named.
    expect(
      influxqlFields(
        'SELECT max("ratio") AS "heap" FROM (SELECT "heap_used_bytes" / "heap_size_limit_bytes" AS "ratio" FROM "m" GROUP BY "url") GROUP BY "url"',
      ),
    ).toEqual(['heap_used_bytes', 'heap_size_limit_bytes']);
    expect(
      influxqlFields(
        'SELECT sum("rate") AS "gc_pause_seconds_total" FROM (SELECT non_negative_derivative(max("gc_pause_seconds_total"), 1s) AS "rate" FROM "m" GROUP BY time(2s), "gc_kind")',
      ),
    ).toEqual(['gc_pause_seconds_total']);
  });

  test('PromQL: metric names, not functions, labels, ranges, keywords or grouping', () => {
    expect(
      promqlMetricNames(
        'max by (instance, space) (m_space_used_bytes{space="old_space"}) / on(instance) group_left m_heap_size_limit_bytes',
      ),
    ).toEqual(['m_space_used_bytes', 'm_heap_size_limit_bytes']);
    expect(promqlMetricNames('sum without (gc_kind) (rate(m_gc_pause_seconds_total[5m] offset 1m)) * 1e3')).toEqual([
      'm_gc_pause_seconds_total',
    ]);
    expect(promqlMetricNames('{__name__=~"m_cpu_seconds(_total)?"}')).toEqual([]);
  });
});
