import { describe, expect, test } from 'vitest';
import { BUCKETS, DurationWindow, bucketOf, secondsOf } from './duration-window.js';

describe('log-linear buckets', () => {
  test('are exact below 16 µs, then 8 per doubling', () => {
    expect([0, 0.001, 0.0159, 0.015, 0.016, 0.017, 0.018, 0.031, 0.032].map(bucketOf)).toEqual([0, 1, 15, 15, 16, 16, 17, 23, 24]);
    // 2 ms is 2000 µs: 1024 to 2047 holds 8 buckets of 128 µs, the last from 1920.
    expect(bucketOf(2)).toBe(71);
    expect(secondsOf(71)).toBe(0.001984);
    expect(secondsOf(0)).toBe(0.0000005);
    expect(secondsOf(16)).toBe(0.000017);
  });

  test('a negative or NaN duration is 0, and one beyond 2^31 µs is the last bucket', () => {
    expect([-1, NaN, 3_000_000, Infinity].map(bucketOf)).toEqual([0, 0, BUCKETS - 1, BUCKETS - 1]);
  });

  test('each bucket middle is within 6.25% of every duration in it', () => {
    for (let us = 16; us < 5_000_000; us = Math.ceil(us * 1.07)) {
      const middle = secondsOf(bucketOf(us / 1000)) * 1e6;
      expect(Math.abs(middle - us) / us).toBeLessThanOrEqual(0.0625);
    }
  });
});

describe('DurationWindow', () => {
  test('percentiles of the window: ranks by ceiling, as the event-loop delay reads them', () => {
    const window = new DurationWindow(3);
    for (let i = 1; i <= 100; i++) window.record(i === 100 ? 1000 : 0.01, 5);
    expect(window.percentiles(5)).toEqual({ count: 100, p50: 0.0000105, p90: 0.0000105, p99: 0.0000105 });
    window.record(2, 6);
    expect(window.percentiles(6)).toEqual({ count: 101, p50: 0.0000105, p90: 0.0000105, p99: 0.001984 });
  });

  test('a slot leaves the window once it is `slots` slots old, when read or when its place is reused', () => {
    const window = new DurationWindow(3);
    window.record(2, 10);
    window.record(0.01, 11);
    expect(window.percentiles(12)?.count).toBe(2);
    expect(window.percentiles(13)).toEqual({ count: 1, p50: 0.0000105, p90: 0.0000105, p99: 0.0000105 });
    expect(window.percentiles(14)).toBeUndefined();
    window.record(2, 20); // reuses the place of slot 11
    expect(window.percentiles(20)).toEqual({ count: 1, p50: 0.001984, p90: 0.001984, p99: 0.001984 });
    window.record(0.01, 23); // reuses it again: slot 20 leaves
    expect(window.percentiles(23)).toEqual({ count: 1, p50: 0.0000105, p90: 0.0000105, p99: 0.0000105 });
  });
});
