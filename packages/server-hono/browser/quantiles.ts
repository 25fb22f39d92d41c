// The live view's reading of a histogram: the quantiles of what was observed between two polls,
// from the difference of their cumulative buckets, as Prometheus' histogram_quantile reads a rate.

/** A histogram as the JSON format gives it: its bounds, and its buckets cumulative, the last `+Inf`. */
export interface JsonHistogram {
  readonly le: readonly number[];
  readonly buckets: readonly number[];
  readonly sum: number;
  readonly count: number;
}

export const QUANTILES = [0.5, 0.9, 0.99] as const;

export function isHistogram(value: unknown): value is JsonHistogram {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as JsonHistogram).le) &&
    Array.isArray((value as JsonHistogram).buckets)
  );
}

/**
 * The `q`-quantile of cumulative `buckets` over bounds `le`, interpolated linearly within its
 * bucket (from 0 in the first); the last bound when it falls in `+Inf`; null when nothing was observed.
 */
export function quantile(q: number, le: readonly number[], buckets: readonly number[]): number | null {
  const total = buckets[buckets.length - 1] ?? 0;
  if (!(total > 0)) return null;
  const rank = q * total;
  let i = 0;
  while (i < buckets.length - 1 && buckets[i]! < rank) i++;
  if (i === le.length) return le[le.length - 1]!;
  const below = i === 0 ? 0 : buckets[i - 1]!;
  const lower = i === 0 ? Math.min(0, le[0]!) : le[i - 1]!;
  return lower + (le[i]! - lower) * ((rank - below) / (buckets[i]! - below));
}

/**
 * The buckets observed between `last` and `now`, or undefined when they cannot be compared:
 * another layout, or a count that went down (the process restarted).
 */
export function increase(last: JsonHistogram | undefined, now: JsonHistogram): number[] | undefined {
  if (last === undefined || last.le.length !== now.le.length || last.le.some((bound, i) => bound !== now.le[i])) return undefined;
  const buckets = now.buckets.map((count, i) => count - last.buckets[i]!);
  return buckets.some((count) => count < 0) ? undefined : buckets;
}
