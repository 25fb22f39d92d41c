import { describe, expect, test } from 'vitest';
import { histogramReading } from './histogram-reading.js';

const at = (/** @type {number[]} */ buckets) => ({ le: [0.01, 0.1, 1], buckets, sum: 0, count: buckets[3] ?? 0 });

describe('histogramReading', () => {
  test("reads what a phase added: its count, and the upper bound of a quantile's bucket", () => {
    const before = at([5, 5, 5, 5]);
    const now = at([6, 106, 107, 107]); // added: 1 up to 10 ms, 100 up to 100 ms, 1 up to 1 s
    expect(histogramReading('count', now, before)).toBe(102);
    expect(histogramReading(0.5, now, before)).toBe(0.1);
    expect(histogramReading(0.99, now, before)).toBe(0.1);
    expect(histogramReading(1, now, before)).toBe(1);
    expect(histogramReading(0.005, now, before)).toBe(0.01);
  });

  test('a quantile above the last bound reads as Infinity; nothing added, or another layout, as undefined', () => {
    expect(histogramReading(0.99, at([0, 0, 0, 4]))).toBe(Infinity);
    expect(histogramReading(0.5, at([1, 1, 1, 1]), at([1, 1, 1, 1]))).toBeUndefined();
    expect(histogramReading('count', at([1, 1, 1, 1]), at([1, 1, 1, 1]))).toBe(0);
    expect(histogramReading('count', at([1, 1, 1, 1]), { le: [0.5], buckets: [0, 0], sum: 0, count: 0 })).toBeUndefined();
  });
});
