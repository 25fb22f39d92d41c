import { describe, expect, test } from 'vitest';
import { DelayHistogram } from './delay-histogram.js';

describe('DelayHistogram', () => {
  test('has no stats when empty', () => {
    expect(new DelayHistogram(3).stats()).toBeUndefined();
  });

  test('gives exact min, max and mean, and percentiles within 2.2% of the sample they name', () => {
    const histogram = new DelayHistogram(3);
    for (let ms = 1; ms <= 100; ms++) histogram.record(ms);
    const stats = histogram.stats()!;
    expect([stats.count, stats.min, stats.max, stats.mean]).toEqual([100, 1, 100, 50.5]);
    expect(Math.abs(stats.p50 / 50 - 1)).toBeLessThan(0.022);
    expect(Math.abs(stats.p90 / 90 - 1)).toBeLessThan(0.022);
    expect(Math.abs(stats.p99 / 99 - 1)).toBeLessThan(0.022);
  });

  test('reports a delay under a microsecond as none', () => {
    const histogram = new DelayHistogram(1);
    histogram.record(0);
    histogram.record(0.0005);
    expect(histogram.stats()).toEqual({ count: 2, min: 0, max: 0.0005, mean: 0.00025, p50: 0, p90: 0, p99: 0 });
  });

  test('keeps percentiles within the observed range', () => {
    const histogram = new DelayHistogram(1);
    histogram.record(200);
    const stats = histogram.stats()!;
    expect([stats.min, stats.p50, stats.p99, stats.max]).toEqual([200, 200, 200, 200]);
  });

  test('forgets a slot once the window has moved past it', () => {
    const histogram = new DelayHistogram(3);
    histogram.record(500);
    histogram.rotate();
    histogram.record(1);
    histogram.rotate();
    histogram.record(2);
    expect(histogram.stats()).toMatchObject({ count: 3, max: 500 });
    histogram.rotate();
    expect(histogram.stats()).toMatchObject({ count: 2, min: 1, max: 2, mean: 1.5 });
    expect(histogram.stats()!.p99).toBeLessThan(2.05);
    histogram.rotate();
    histogram.rotate();
    expect(histogram.stats()).toBeUndefined();
  });

  test('forgets everything on reset', () => {
    const histogram = new DelayHistogram(2);
    histogram.record(5);
    histogram.reset();
    expect(histogram.stats()).toBeUndefined();
  });
});
