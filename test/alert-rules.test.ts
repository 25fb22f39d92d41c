import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEMO_MEASUREMENT, RENDER_ERRORS, fieldsBySampleName, metricNamesIn } from './prometheus-names.js';

// docs/alerts/: every metric the rules and their promtool tests name is one the demo serves, by
// the catalog's field names as core renders them. promtool itself runs in e2e/docs.e2e.test.ts.

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const rules = read('docs/alerts/runometer.rules.yml');
const ruleTests = read('docs/alerts/runometer.rules.test.yml');
const served = fieldsBySampleName(DEMO_MEASUREMENT);
/** Prometheus's own series of each target, which no meter serves. */
const PROMETHEUS_OWN = new Set(['up']);

const expressions = [...rules.matchAll(/^\s*expr: (.+)$/gm)].map(([, expr]) => expr!);
const inputSeries = [...ruleTests.matchAll(/^\s*- series: '([^'{]+)/gm)].map(([, name]) => name!);

describe('the alert rules of docs/alerts', () => {
  test('metricNamesIn finds the metric names of an expression, and nothing else', () => {
    expect(
      metricNamesIn(
        'sum without (gc_kind) (rate(a_total{x="y"}[5m])) > 0.1 and b offset 6h > 1e3 * c unless on(instance) up{job="runometer"}',
      ),
    ).toEqual(['a_total', 'b', 'c', 'up']);
  });

  test('the demo serves the measurement and the fault counter the rules are written on', () => {
    const demo = read('examples/demo/start.js');
    expect(demo).toContain(`new Runometer('${DEMO_MEASUREMENT}')`);
    expect(demo).toMatch(new RegExp(`addField\\('${RENDER_ERRORS.key}', .*type: '${RENDER_ERRORS.type}', kind: '${RENDER_ERRORS.kind}'`));
  });

  test('every metric an expression names is a field the demo serves, under its Prometheus name', () => {
    expect(expressions.length).toBeGreaterThan(0);
    expect(expressions.filter((expr) => metricNamesIn(expr).length === 0)).toEqual([]);
    const names = expressions.flatMap(metricNamesIn);
    expect(names.filter((name) => !served.has(name) && !PROMETHEUS_OWN.has(name))).toEqual([]);
  });

  test("every series of the rules' promtool tests is a field the demo serves, under its Prometheus name", () => {
    expect(inputSeries.length).toBeGreaterThan(0);
    expect(inputSeries.filter((name) => !served.has(name) && !PROMETHEUS_OWN.has(name))).toEqual([]);
  });

  test('every alert has a promtool test', () => {
    const alerts = [...rules.matchAll(/^\s*- alert: (\w+)$/gm)].map(([, name]) => name);
    const tested = new Set([...ruleTests.matchAll(/^\s*alertname: (\w+)$/gm)].map(([, name]) => name));
    expect(alerts.length).toBe(expressions.length);
    expect(alerts.filter((name) => !tested.has(name))).toEqual([]);
  });
});
