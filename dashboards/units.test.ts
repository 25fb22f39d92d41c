import type { CatalogEntry } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { grafanaUnit, histogramRateUnit, scaleOf } from './units.js';

const entry = (fields: Partial<CatalogEntry>): CatalogEntry => ({
  preset: 'test',
  key: 'x',
  type: 'float',
  kind: 'gauge',
  requires: [],
  ...fields,
});

describe('grafanaUnit', () => {
  test.each([
    ['bytes', 'bytes'],
    ['seconds', 's'],
    ['epoch_seconds', 'dateTimeAsIso'],
    ['percent', 'percent'],
    ['ratio', 'percentunit'],
    ['count', 'short'],
    ['none', 'none'],
  ] as const)('a gauge in %s is shown in %s', (unit, grafana) => {
    expect(grafanaUnit(entry({ unit }))).toBe(grafana);
  });

  test.each([
    ['bytes', 'Bps'],
    ['seconds', 'percentunit'],
    ['count', 'cps'],
  ] as const)('a counter in %s is shown as its rate, in %s', (unit, grafana) => {
    expect(grafanaUnit(entry({ kind: 'counter', unit }))).toBe(grafana);
  });

  test('a counter whose unit has no rate, or a field without a unit, is refused by name', () => {
    expect(() => grafanaUnit(entry({ key: 'pid_total', kind: 'counter', unit: 'none' }))).toThrow(
      'counter "pid_total" has unit "none", which has no rate per second',
    );
    expect(() => grafanaUnit(entry({ key: 'bare' }))).toThrow('field "bare" declares no unit: the dashboards cannot show it');
  });

  test("a histogram is shown in its observations' unit; the rate of its count in counts, of its sum as the sum's rate", () => {
    const durations = entry({ key: 'wait_seconds', kind: 'histogram', unit: 'seconds', buckets: [0.1] });
    expect([grafanaUnit(durations), histogramRateUnit(durations, 'count'), histogramRateUnit(durations, 'sum')]).toEqual([
      's',
      'cps',
      'percentunit',
    ]);
    expect(() => histogramRateUnit({ ...durations, unit: 'ratio' }, 'sum')).toThrow(
      'histogram "wait_seconds" has unit "ratio", which has no rate per second',
    );
  });

  test('epoch seconds are scaled to the milliseconds of Grafana date units; nothing else is', () => {
    expect(scaleOf(entry({ unit: 'epoch_seconds' }))).toBe(1000);
    expect(scaleOf(entry({ unit: 'seconds' }))).toBe(1);
  });
});
