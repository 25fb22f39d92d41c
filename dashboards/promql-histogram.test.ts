import { describe, expect, test } from 'vitest';
import { countAtMost, countRate, histogramQuantile, sumBy } from './promql-histogram.js';

const waits = { name: 'shop_wait_seconds', matchers: ['app=~"$app"', 'status_class="5xx"'], window: '5m' };
const unfiltered = { ...waits, matchers: [] };

describe('a histogram in PromQL, classic or native', () => {
  test('the quantile: the classic buckets summed per group and le, or the native series summed per group', () => {
    expect(histogramQuantile(0.99, waits, ['app'])).toBe(
      'histogram_quantile(0.99, sum by (app, le) (rate(shop_wait_seconds_bucket{app=~"$app",status_class="5xx"}[5m]))) or ' +
        'histogram_quantile(0.99, sum by (app) (rate(shop_wait_seconds{app=~"$app",status_class="5xx"}[5m])))',
    );
    expect(histogramQuantile(0.5, unfiltered, [])).toBe(
      'histogram_quantile(0.5, sum by (le) (rate(shop_wait_seconds_bucket[5m]))) or histogram_quantile(0.5, sum(rate(shop_wait_seconds[5m])))',
    );
  });

  test("the count per line: the rate of _count, or histogram_count of the native series' rate", () => {
    expect(countRate(waits)).toBe(
      '(rate(shop_wait_seconds_count{app=~"$app",status_class="5xx"}[5m]) or ' +
        'histogram_count(rate(shop_wait_seconds{app=~"$app",status_class="5xx"}[5m])))',
    );
  });

  test('the count at most a bound per line: its _bucket with le summed away, or the native fraction up to it times the count, where there is one', () => {
    expect(countAtMost(unfiltered, '0.3')).toBe(
      '(sum without (le) (rate(shop_wait_seconds_bucket{le="0.3"}[5m])) or ' +
        'histogram_fraction(-Inf, 0.3, rate(shop_wait_seconds[5m])) * (histogram_count(rate(shop_wait_seconds[5m])) > 0))',
    );
    expect(countAtMost(waits, '$threshold')).toBe(
      '(sum without (le) (rate(shop_wait_seconds_bucket{app=~"$app",status_class="5xx",le="$threshold"}[5m])) or ' +
        'histogram_fraction(-Inf, $threshold, rate(shop_wait_seconds{app=~"$app",status_class="5xx"}[5m])) * ' +
        '(histogram_count(rate(shop_wait_seconds{app=~"$app",status_class="5xx"}[5m])) > 0))',
    );
  });

  test('a sum over every line, or per group', () => {
    expect(sumBy([], 'x')).toBe('sum(x)');
    expect(sumBy(['app', 'route'], 'x')).toBe('sum by (app, route) (x)');
  });
});
