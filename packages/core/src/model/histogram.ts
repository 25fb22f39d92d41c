import { RegistrationError, describe } from './errors.js';
import type { NativeBuckets } from './native-histogram.js';

/**
 * What a histogram field gives at each render: how many observations fell in each bucket since the
 * process started, and their sum. `counts` has one entry per bound and one more: `counts[i]`
 * counts the observations above `bounds[i - 1]` and at most `bounds[i]`, the last those above the
 * last bound. Per bucket, not cumulative, so that recording one observation adds 1 to one entry;
 * the formats write them cumulative, with their total as the count. `native`: the same
 * observations in the exponential buckets of the field's `native` layout, for the formats that
 * write native histograms (Prometheus' protobuf exposition); the others write the classic buckets.
 */
export interface HistogramValue {
  readonly counts: ArrayLike<number>;
  readonly sum: number;
  readonly native?: NativeBuckets;
}

/**
 * A histogram's bucket layout, checked and frozen: its upper bounds, in the field's unit, finite,
 * at least 0 (OpenMetrics drops `_sum` from a histogram with negative buckets: its sum would no
 * longer only grow) and strictly increasing. `+Inf` is implied, never listed.
 */
export function checkBuckets(what: string, buckets: unknown): readonly number[] {
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw new RegistrationError(
      `${what} needs buckets: a non-empty array of upper bounds, e.g. [0.005, 0.01, 0.025], got ${Array.isArray(buckets) ? 'an empty array' : describe(buckets)}`,
    );
  }
  for (let i = 0; i < buckets.length; i++) {
    const bound: unknown = buckets[i];
    if (typeof bound !== 'number' || !Number.isFinite(bound) || bound < 0) {
      throw new RegistrationError(
        `${what} has bucket bound ${describe(bound)} at index ${i}; each bound must be a finite number, 0 or more (+Inf is implied)`,
      );
    }
    if (i > 0 && bound <= buckets[i - 1]) {
      throw new RegistrationError(
        `${what} has bucket bounds ${buckets[i - 1]} then ${bound} at index ${i}; bounds must be strictly increasing`,
      );
    }
  }
  return Object.freeze([...buckets] as number[]);
}

/** Why a present value cannot be written as a histogram of `bounds`, or undefined when it can. */
export function histogramProblem(bounds: readonly number[], value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `expected a histogram ({ counts, sum }), got ${describe(value)}`;
  const { counts, sum } = value as HistogramValue;
  if (typeof sum !== 'number' || !(sum >= 0) || sum === Infinity)
    return `histogram sum must be a finite number, 0 or more, got ${describe(sum)}`;
  if (typeof counts !== 'object' || counts === null || counts.length !== bounds.length + 1) {
    const got = typeof counts?.length === 'number' ? `${counts.length}` : describe(counts);
    return `histogram counts must have ${bounds.length + 1} entries (one per bound, and one above the last), got ${got}`;
  }
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i];
    if (!Number.isSafeInteger(count) || count! < 0)
      return `histogram count ${describe(count)} at index ${i} is not a whole number, 0 or more`;
  }
  return undefined;
}

/** The field keys line protocol writes a histogram `key` under: its sum and count on the point's line, its buckets on a line each. */
export function histogramFieldKeys(key: string): readonly [sum: string, count: string, bucket: string] {
  return [`${key}_sum`, `${key}_count`, `${key}_bucket`];
}

const leTexts = new WeakMap<readonly number[], readonly string[]>();

/**
 * The `le` of each bucket as OpenMetrics writes it canonically (Go's shortest form, `1.0` for an
 * integer), `+Inf` last: in every format, so that a histogram's series are the same whichever
 * format a scraper asks for (Prometheus 2 keeps `le="1"` and `le="1.0"` apart).
 */
export function leLabels(bounds: readonly number[]): readonly string[] {
  let texts = leTexts.get(bounds);
  if (texts === undefined) {
    texts = Object.freeze([...bounds.map(canonicalNumber), '+Inf']);
    leTexts.set(bounds, texts);
  }
  return texts;
}

/** Go's `strconv.FormatFloat(x, 'g', -1, 64)`, with `.0` after an integer, as the Go client's OpenMetrics writes a float. */
export function canonicalNumber(x: number): string {
  if (x === 0) return '0.0';
  const [mantissa, exponentText] = x.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    const digits = Math.abs(exponent) < 10 ? `0${Math.abs(exponent)}` : `${Math.abs(exponent)}`;
    return `${mantissa}e${exponent < 0 ? '-' : '+'}${digits}`;
  }
  const text = String(x);
  return text.includes('.') ? text : `${text}.0`;
}

/**
 * The worst relative error of a quantile read from buckets of `bounds` by linear interpolation
 * inside its bucket, as Prometheus' `histogram_quantile` reads it, for a true value from the first
 * bound to the last: the estimate stays in the true value's bucket `(a, b]`, so it is off by at most
 * `(b − a) / a` of it. Below the first bound the error has no bound (the bucket starts at 0), nor
 * above the last (`histogram_quantile` answers the last bound). 0 for a single bound.
 */
export function worstQuantileError(bounds: readonly number[]): number {
  let worst = 0;
  for (let i = 1; i < bounds.length; i++) {
    const lower = bounds[i - 1]!;
    if (lower > 0) worst = Math.max(worst, (bounds[i]! - lower) / lower);
  }
  return worst;
}

/** What a histogram's bucket lines add to a series key: `,le=` and its longest bound as written (`+Inf` at least). */
export function leTagBytes(bounds: readonly number[]): number {
  let longest = 0;
  for (const text of leLabels(bounds)) longest = Math.max(longest, text.length);
  return ',le='.length + longest;
}
