import { describe, expect, test } from 'vitest';
import { labelName, metricName, prometheusNamesOf } from './prometheus-names.js';

describe('Prometheus names', () => {
  test('a metric name keeps [a-zA-Z0-9_:] and starts with no digit', () => {
    expect(metricName('my-app.v2_bytes:total')).toBe('my_app_v2_bytes:total');
    expect(metricName('2xx_count')).toBe('_2xx_count');
  });

  test('a label name keeps [a-zA-Z0-9_] and starts with no digit', () => {
    expect(labelName('zone:name')).toBe('zone_name');
    expect(labelName('app-name')).toBe('app_name');
    expect(labelName('1st')).toBe('_1st');
  });

  test("a gauge takes one name; a counter its family's and its samples'", () => {
    expect(prometheusNamesOf('app_', 'orders_total', 'gauge')).toEqual(['app_orders_total']);
    expect(prometheusNamesOf('app_', 'orders', 'counter')).toEqual(['app_orders', 'app_orders_total']);
    expect(prometheusNamesOf('app_', 'orders_total', 'counter')).toEqual(['app_orders', 'app_orders_total']);
  });
});
