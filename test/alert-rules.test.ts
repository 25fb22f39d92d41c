import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEMO_MEASUREMENT, RENDER_ERRORS, fieldsBySampleName, metricNamesIn } from './prometheus-names.js';

// docs/alerts/: every metric the rules and their promtool tests name is one the demo serves, by
// the catalog's field names as core renders them. promtool itself runs in e2e/docs.e2e.test.ts
// and e2e/slo-rules.e2e.test.ts.

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const served = fieldsBySampleName(DEMO_MEASUREMENT);
/** Prometheus's own series of each target, which no meter serves. */
const PROMETHEUS_OWN = new Set(['up']);

describe('metric names', () => {
  test('metricNamesIn finds the metric names of an expression, and nothing else', () => {
    expect(
      metricNamesIn(
        'sum without (gc_kind) (rate(a_total{x="y"}[5m])) > 0.1 and b offset 6h > 1e3 * c unless on(instance) up{job="runometer"}',
      ),
    ).toEqual(['a_total', 'b', 'c', 'up']);
  });

  test('a number spelt as a word is no metric name', () => {
    expect(metricNamesIn('histogram_fraction(-Inf, 0.3, rate(x[5m])) > NaN')).toEqual(['x']);
  });

  test("a histogram's samples are its field's: _bucket, _sum and _count", () => {
    expect(['bucket', 'sum', 'count'].map((sample) => served.get(`${DEMO_MEASUREMENT}_http_request_duration_seconds_${sample}`))).toEqual(
      Array(3).fill('http_request_duration_seconds'),
    );
  });

  test("a histogram's family name is its field's too: the one series Prometheus stores from native buckets", () => {
    expect(served.get(`${DEMO_MEASUREMENT}_http_request_duration_seconds`)).toBe('http_request_duration_seconds');
  });

  test('the demo serves the measurement and the fault counter the rules are written on', () => {
    const demo = read('examples/demo/start.js');
    expect(demo).toContain(`new Runometer('${DEMO_MEASUREMENT}')`);
    expect(demo).toMatch(new RegExp(`addField\\('${RENDER_ERRORS.key}', .*type: '${RENDER_ERRORS.type}', kind: '${RENDER_ERRORS.kind}'`));
  });
});

describe.each(['runometer', 'runometer-slo'])('the alert rules of docs/alerts/%s.rules.yml', (name) => {
  const rules = read(`docs/alerts/${name}.rules.yml`);
  const ruleTests = read(`docs/alerts/${name}.rules.test.yml`);
  const expressions = [...rules.matchAll(/^\s*expr: (.+)$/gm)].map(([, expr]) => expr!);
  const recorded = new Set([...rules.matchAll(/^\s*- record: (\S+)$/gm)].map(([, record]) => record!));
  const inputSeries = [...ruleTests.matchAll(/^\s*- series: '([^'{]+)/gm)].map(([, series]) => series!);

  test('every metric an expression names is a field the demo serves, under its Prometheus name, or a rule of the file records it', () => {
    expect(expressions.length).toBeGreaterThan(0);
    expect(expressions.filter((expr) => metricNamesIn(expr).length === 0)).toEqual([]);
    const names = expressions.flatMap(metricNamesIn);
    expect(names.filter((name) => !served.has(name) && !PROMETHEUS_OWN.has(name) && !recorded.has(name))).toEqual([]);
  });

  test("every series of the rules' promtool tests is a field the demo serves, under its Prometheus name", () => {
    expect(inputSeries.length).toBeGreaterThan(0);
    expect(inputSeries.filter((name) => !served.has(name) && !PROMETHEUS_OWN.has(name))).toEqual([]);
  });

  test('every alert has a promtool test', () => {
    const alerts = [...rules.matchAll(/^\s*- alert: (\w+)$/gm)].map(([, name]) => name);
    const tested = new Set([...ruleTests.matchAll(/^\s*alertname: (\w+)$/gm)].map(([, name]) => name));
    expect(alerts.length + recorded.size).toBe(expressions.length);
    expect(alerts.filter((name) => !tested.has(name))).toEqual([]);
  });
});
