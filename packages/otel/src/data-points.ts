import type { HistogramValue } from '@runometer/core';
import type { OtelField } from './otel-field.js';
import type { OtelInstrument } from './semantic-names.js';

/**
 * Nanoseconds since the epoch when the process started: the start of every cumulative point. Core
 * counts a counter from 0 when the process starts, and a histogram likewise; every meter, producer
 * and pusher of a process agrees on it, and a restart moves it, which is how a backend tells a
 * reset from a drop. (A meter's first render would be later than the counting began: a backend
 * would take the counts before it for a burst at the start.)
 */
export const PROCESS_START_NS = nanosecondsOf(performance.timeOrigin);

/**
 * Milliseconds since the epoch (a fraction allowed) in nanoseconds, to the nanosecond: as a
 * number, `milliseconds * 1e6` is beyond 2^53 and lands on a multiple of 256 ns, which read a
 * point's end 128 ns before the millisecond it was made in.
 */
export function nanosecondsOf(milliseconds: number): bigint {
  const whole = Math.floor(milliseconds);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((milliseconds - whole) * 1e6));
}

/** OpenTelemetry's data type of an instrument's points: a gauge, a sum (monotonic for a counter) or a histogram; all cumulative. */
export type DataType = { readonly type: 'gauge' } | { readonly type: 'sum'; readonly monotonic: boolean } | { readonly type: 'histogram' };

export function dataTypeOf(instrument: OtelInstrument): DataType {
  if (instrument === 'gauge' || instrument === 'histogram') return { type: instrument };
  return { type: 'sum', monotonic: instrument === 'counter' };
}

/** A histogram point as OpenTelemetry carries it: explicit bounds, a count per bucket (the `+Inf` bucket last), their total and the sum. */
export interface HistogramPoint {
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
  readonly count: number;
  readonly sum: number;
}

export function histogramPoint(field: OtelField, { counts, sum }: HistogramValue): HistogramPoint {
  const bucketCounts = Array.from(counts);
  return { bounds: field.buckets ?? [], counts: bucketCounts, count: bucketCounts.reduce((total, count) => total + count, 0), sum };
}
