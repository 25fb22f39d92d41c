import { RegistrationError, describe } from './errors.js';

// Prometheus native histograms: exponential buckets, schema `s` dividing each power of two into
// 2^s buckets, so that each bound is the previous one times 2^(2^-s). Bucket `i` holds the
// observations above 2^((i - 1) · 2^-s) and at most 2^(i · 2^-s); those at most the zero threshold
// are counted apart, in the zero bucket. A histogram field declares its schema and zero threshold
// (`native`, beside `buckets`), and its values give the counts of the buckets they use.

/** A native histogram's layout, declared with the field: Prometheus takes schemas -4 to 8. */
export interface NativeLayout {
  readonly schema: number;
  /** Observations at most this (and 0 or more) are counted in the zero bucket. */
  readonly zeroThreshold: number;
}

/**
 * A histogram value's native buckets: `counts[i]` counts the observations in bucket `offset + i`
 * (zeros allowed, as a dense run of buckets is simplest to count into); `zeroCount` those at
 * most the zero threshold. Together they count the same observations as the classic buckets.
 */
export interface NativeBuckets {
  readonly zeroCount: number;
  readonly offset: number;
  readonly counts: ArrayLike<number>;
}

export const MIN_NATIVE_SCHEMA = -4;
export const MAX_NATIVE_SCHEMA = 8;
/** client_golang's default zero threshold, 2^-128: only an observation of about 0 counts as zero. */
export const DEFAULT_ZERO_THRESHOLD = 2 ** -128;

/** A field's `native` option, checked and frozen. */
export function checkNativeLayout(what: string, native: unknown): NativeLayout {
  if (typeof native !== 'object' || native === null) {
    throw new RegistrationError(`${what} native must be an object ({ schema, zeroThreshold? }), got ${describe(native)}`);
  }
  const { schema, zeroThreshold = DEFAULT_ZERO_THRESHOLD } = native as Partial<NativeLayout>;
  if (!Number.isInteger(schema) || schema! < MIN_NATIVE_SCHEMA || schema! > MAX_NATIVE_SCHEMA) {
    throw new RegistrationError(
      `${what} has native schema ${describe(schema)}; a schema is an integer from ${MIN_NATIVE_SCHEMA} to ${MAX_NATIVE_SCHEMA} (each bucket 2^(2^-schema) times the last)`,
    );
  }
  if (typeof zeroThreshold !== 'number' || !Number.isFinite(zeroThreshold) || zeroThreshold < 0) {
    throw new RegistrationError(`${what} has native zeroThreshold ${describe(zeroThreshold)}; it must be a finite number, 0 or more`);
  }
  return Object.freeze({ schema: schema!, zeroThreshold });
}

/** Why `native` (a histogram value's, whose classic buckets count `total`) cannot be written under `layout`, or undefined when it can. */
export function nativeProblem(layout: NativeLayout | undefined, native: unknown, total: number): string | undefined {
  if (native === undefined) return undefined;
  if (layout === undefined) return 'histogram value has native buckets, but its field declares no native layout (native: { schema })';
  if (typeof native !== 'object' || native === null)
    return `expected native buckets ({ zeroCount, offset, counts }), got ${describe(native)}`;
  const { zeroCount, offset, counts } = native as NativeBuckets;
  if (!Number.isSafeInteger(zeroCount) || zeroCount < 0) return `native zeroCount ${describe(zeroCount)} is not a whole number, 0 or more`;
  if (!Number.isSafeInteger(offset)) return `native offset ${describe(offset)} is not a whole number`;
  if (typeof counts !== 'object' || counts === null || typeof counts.length !== 'number')
    return `native counts must be an array of counts, got ${describe(counts)}`;
  let observations = zeroCount;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i];
    if (!Number.isSafeInteger(count) || count! < 0) return `native count ${describe(count)} at index ${i} is not a whole number, 0 or more`;
    observations += count!;
  }
  if (observations !== total)
    return `native buckets count ${observations} observations (zeroCount and counts) where the classic buckets count ${total}: they must count the same`;
  return undefined;
}

/**
 * The run of `counts` from its first non-zero count to its last, `end` exclusive (`first === end`
 * when every count is zero): the native buckets a copy or a wire needs to carry, their offset moved by `first`.
 */
export function countedSpan(counts: ArrayLike<number>): { readonly first: number; readonly end: number } {
  let first = 0;
  let end = counts.length;
  while (first < end && counts[first] === 0) first++;
  while (end > first && counts[end - 1] === 0) end--;
  return { first, end };
}

/** How much a quantile read from schema `schema`'s buckets may be off, as a share of the true value: 2^(2^-schema) - 1. */
export function nativeQuantileError(schema: number): number {
  return 2 ** (2 ** -schema) - 1;
}

/** The upper bound of bucket `index`: 2^(index · 2^-schema). */
export function nativeUpperBound(schema: number, index: number): number {
  return 2 ** (index * 2 ** -schema);
}

/**
 * Per schema above 0, the bounds a value's fraction (from frexp, in [0.5, 1)) is placed by:
 * 2^(j · 2^-schema - 1) for each of its 2^schema buckets per power of two.
 */
const FRACTION_BOUNDS: readonly (readonly number[])[] = Array.from({ length: MAX_NATIVE_SCHEMA + 1 }, (_, schema) =>
  Array.from({ length: 2 ** schema }, (_, j) => 2 ** (j / 2 ** schema - 1)),
);

const scratch = new DataView(new ArrayBuffer(8));
const EXPONENT_BIAS = 1022;
const SUBNORMAL_SCALE = 64;

/**
 * The bucket a positive, finite `value` falls in, as client_golang finds it: the value's binary
 * exponent and fraction read from its bits (frexp), then the fraction placed among the schema's
 * bounds. No logarithm, no allocation, and on a bound the value counts in the bucket below, as
 * the bounds are inclusive.
 */
export function nativeBucketIndex(value: number, schema: number): number {
  let scaled = value;
  scratch.setFloat64(0, scaled);
  let exponentBits = (scratch.getUint32(0) >>> 20) & 0x7ff;
  let exponent = exponentBits - EXPONENT_BIAS;
  if (exponentBits === 0) {
    // A subnormal: scaled up into the normal range, its exponent set back.
    scaled *= 2 ** SUBNORMAL_SCALE;
    scratch.setFloat64(0, scaled);
    exponentBits = (scratch.getUint32(0) >>> 20) & 0x7ff;
    exponent = exponentBits - EXPONENT_BIAS - SUBNORMAL_SCALE;
  }
  // The fraction in [0.5, 1): the same mantissa under the exponent of 0.5.
  scratch.setUint32(0, (scratch.getUint32(0) & 0x800fffff) | (EXPONENT_BIAS << 20));
  const fraction = scratch.getFloat64(0);
  if (schema > 0) {
    const bounds = FRACTION_BOUNDS[schema]!;
    let low = 0;
    let high = bounds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (bounds[middle]! < fraction) low = middle + 1;
      else high = middle;
    }
    return low + (exponent - 1) * bounds.length;
  }
  const key = fraction === 0.5 ? exponent - 1 : exponent;
  return (key + (1 << -schema) - 1) >> -schema;
}
