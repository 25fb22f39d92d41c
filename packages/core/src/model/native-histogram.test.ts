import { describe, expect, test } from 'vitest';
import {
  checkNativeLayout,
  countedSpan,
  nativeBucketIndex,
  nativeProblem,
  nativeQuantileError,
  nativeUpperBound,
} from './native-histogram.js';

/** The bucket of `value` by its definition: the i with 2^((i-1)·2^-s) < value ≤ 2^(i·2^-s). */
function bucketByDefinition(value: number, schema: number): number {
  let index = Math.ceil(Math.log2(value) * 2 ** schema);
  // Math.log2's rounding can be off by one at a bound: settle it by the bounds themselves.
  while (nativeUpperBound(schema, index) < value) index++;
  while (nativeUpperBound(schema, index - 1) >= value) index--;
  return index;
}

describe('nativeBucketIndex', () => {
  test('finds the bucket of its definition, for every schema, over values from 1e-300 to 1e300', () => {
    for (let schema = -4; schema <= 8; schema++) {
      for (let exponent = -300; exponent <= 300; exponent += 7) {
        for (const mantissa of [1, 1.07, 1.5, 2.2, 3.3, 7.9]) {
          const value = mantissa * 10 ** exponent;
          expect([schema, value, nativeBucketIndex(value, schema)]).toEqual([schema, value, bucketByDefinition(value, schema)]);
        }
      }
    }
  });

  test('a value on a bound is in the bucket it bounds (bounds are inclusive)', () => {
    expect([1, 2, 4, 0.5].map((value) => nativeBucketIndex(value, 3))).toEqual([0, 8, 16, -8]);
    expect([1, 2, 4, 16, 17].map((value) => nativeBucketIndex(value, -2))).toEqual([0, 1, 1, 1, 2]);
    expect(nativeBucketIndex(2 ** 0.125, 3)).toBe(1);
  });

  test('subnormal values too', () => {
    expect(nativeBucketIndex(2 ** -1074, 0)).toBe(-1074);
    expect(nativeBucketIndex(3 * 2 ** -1070, 1)).toBe(bucketByDefinition(3 * 2 ** -1070, 1));
  });
});

describe('checkNativeLayout', () => {
  test('takes a schema from -4 to 8 and a zero threshold, 2^-128 by default', () => {
    expect(checkNativeLayout('f', { schema: 3 })).toEqual({ schema: 3, zeroThreshold: 2 ** -128 });
    expect(checkNativeLayout('f', { schema: -4, zeroThreshold: 0 })).toEqual({ schema: -4, zeroThreshold: 0 });
  });

  test('refuses anything else, saying what', () => {
    expect(() => checkNativeLayout('field "d"', 3)).toThrow(
      'field "d" native must be an object ({ schema, zeroThreshold? }), got number 3',
    );
    expect(() => checkNativeLayout('field "d"', { schema: 9 })).toThrow(
      'field "d" has native schema number 9; a schema is an integer from -4 to 8 (each bucket 2^(2^-schema) times the last)',
    );
    expect(() => checkNativeLayout('field "d"', { schema: 1.5 })).toThrow('native schema number 1.5');
    expect(() => checkNativeLayout('field "d"', {})).toThrow('native schema undefined');
    expect(() => checkNativeLayout('field "d"', { schema: 3, zeroThreshold: -1 })).toThrow(
      'field "d" has native zeroThreshold number -1; it must be a finite number, 0 or more',
    );
  });
});

describe('nativeProblem', () => {
  const layout = { schema: 3, zeroThreshold: 0 };
  test('native buckets that count what the classic ones count are fine; none at all too', () => {
    expect(nativeProblem(layout, { zeroCount: 1, offset: -3, counts: [0, 2, 1] }, 4)).toBeUndefined();
    expect(nativeProblem(layout, undefined, 4)).toBeUndefined();
  });

  test('says what is wrong', () => {
    expect(nativeProblem(undefined, { zeroCount: 0, offset: 0, counts: [] }, 0)).toBe(
      'histogram value has native buckets, but its field declares no native layout (native: { schema })',
    );
    expect(nativeProblem(layout, { zeroCount: 0, offset: 0, counts: [1, 1] }, 3)).toBe(
      'native buckets count 2 observations (zeroCount and counts) where the classic buckets count 3: they must count the same',
    );
    expect(nativeProblem(layout, { zeroCount: -1, offset: 0, counts: [] }, 0)).toBe(
      'native zeroCount number -1 is not a whole number, 0 or more',
    );
    expect(nativeProblem(layout, { zeroCount: 0, offset: 0.5, counts: [] }, 0)).toBe('native offset number 0.5 is not a whole number');
    expect(nativeProblem(layout, { zeroCount: 0, offset: 0, counts: [1, 0.5] }, 0)).toBe(
      'native count number 0.5 at index 1 is not a whole number, 0 or more',
    );
    expect(nativeProblem(layout, { zeroCount: 0, offset: 0 }, 0)).toBe('native counts must be an array of counts, got undefined');
    expect(nativeProblem(layout, 'many', 0)).toBe('expected native buckets ({ zeroCount, offset, counts }), got string "many"');
  });
});

test('nativeQuantileError: 2^(2^-schema) - 1', () => {
  expect(nativeQuantileError(3)).toBeCloseTo(0.0905, 4);
  expect(nativeQuantileError(0)).toBe(1);
  expect(nativeQuantileError(8)).toBeCloseTo(0.00271, 5);
});

describe('countedSpan', () => {
  test('spans from the first non-zero count to the last, zeros between them kept', () => {
    expect(countedSpan([0, 0, 3, 0, 2, 0])).toEqual({ first: 2, end: 5 });
    expect(countedSpan(Float64Array.of(1, 0, 1))).toEqual({ first: 0, end: 3 });
  });

  test('is empty where every count is zero, and of an empty run', () => {
    expect(countedSpan([0, 0, 0])).toEqual({ first: 3, end: 3 });
    expect(countedSpan([])).toEqual({ first: 0, end: 0 });
  });
});
