// The live view's quantiles of a histogram (browser/quantiles.ts).
import { describe, expect, test } from 'vitest';
import { increase, quantile } from '../browser/quantiles.js';

const le = [0.01, 0.1, 1];

describe('quantile', () => {
  test('interpolates within the bucket the rank falls in, from 0 in the first', () => {
    // 10 observations: 2 up to 10 ms, 6 more up to 100 ms, 2 more up to 1 s.
    const buckets = [2, 8, 10, 10];
    expect(quantile(0.1, le, buckets)).toBe(0.005);
    expect(quantile(0.5, le, buckets)).toBeCloseTo(0.055, 15);
    expect(quantile(0.9, le, buckets)).toBeCloseTo(0.55, 15);
  });

  test('gives the last bound when the rank is in +Inf, and null when nothing was observed', () => {
    expect(quantile(0.99, le, [0, 0, 0, 4])).toBe(1);
    expect(quantile(0.5, le, [0, 0, 0, 0])).toBeNull();
  });
});

describe('increase', () => {
  const at = (buckets: number[]) => ({ le, buckets, sum: 0, count: buckets[3]! });

  test('what the buckets counted between two polls', () => {
    expect(increase(at([1, 2, 3, 4]), at([1, 5, 6, 9]))).toEqual([0, 3, 3, 5]);
  });

  test('none before a first reading, after a restart, or across another layout', () => {
    expect(increase(undefined, at([1, 2, 3, 4]))).toBeUndefined();
    expect(increase(at([1, 2, 3, 4]), at([0, 0, 1, 1]))).toBeUndefined();
    expect(increase({ le: [0.5, 1, 2], buckets: [1, 2, 3, 4], sum: 0, count: 4 }, at([1, 2, 3, 4]))).toBeUndefined();
  });
});
