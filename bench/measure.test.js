import { describe, expect, it } from 'vitest';
import { medianInterval } from './measure.js';

const oneTo = (/** @type {number} */ n) => Array.from({ length: n }, (_, i) => i + 1);

describe('medianInterval', () => {
  it('gives the order statistics of the binomial table at 95%', () => {
    // Tables of the sign test: n = 6 → 1st and 6th, n = 20 → 6th and 15th, n = 75 → 29th and 47th.
    expect(medianInterval(oneTo(6))).toEqual([1, 6]);
    expect(medianInterval(oneTo(20))).toEqual([6, 15]);
    expect(medianInterval(oneTo(75))).toEqual([29, 47]);
  });

  it('has no interval for too few values', () => {
    expect(medianInterval(oneTo(5))).toBeUndefined();
    expect(medianInterval([])).toBeUndefined();
  });

  it('sorts the values and widens with the confidence asked', () => {
    const shuffled = [15, 3, 20, 8, 1, 12, 6, 18, 10, 2, 17, 5, 14, 9, 19, 4, 11, 16, 7, 13];
    expect(medianInterval(shuffled)).toEqual([6, 15]);
    expect(medianInterval(shuffled, 0.99)).toEqual([4, 17]);
  });
});
