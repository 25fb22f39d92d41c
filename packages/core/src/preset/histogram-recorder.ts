import { checkBuckets, type HistogramValue } from '../model/histogram.js';

/**
 * Counts observations into a fixed bucket layout, for a histogram field: `record()` adds one
 * without allocating, `snapshot()` gives the value the field returns.
 *
 * ```ts
 * const durations = new HistogramRecorder([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]);
 * durations.record(0.012);
 * meter.addField('request_duration_seconds', () => durations.snapshot(), { kind: 'histogram', buckets: durations.bounds, unit: 'seconds' });
 * ```
 */
export class HistogramRecorder {
  /** The upper bounds, checked and frozen: give them as the field's `buckets`. */
  readonly bounds: readonly number[];
  private readonly counts: Float64Array;
  private sum = 0;
  /** The last snapshot, kept until an observation changes it. */
  private last: HistogramValue | undefined;

  constructor(bounds: readonly number[]) {
    this.bounds = checkBuckets('HistogramRecorder', bounds);
    this.counts = new Float64Array(this.bounds.length + 1);
  }

  /**
   * Adds one observation to the first bucket whose bound is at least `value` (above the last bound:
   * to `+Inf`). A negative, NaN or infinite value is not recorded: a histogram's sum only grows.
   */
  record(value: number): void {
    if (!(value >= 0 && value < Infinity)) return;
    const { bounds } = this;
    let low = 0;
    let high = bounds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (value <= bounds[middle]!) high = middle;
      else low = middle + 1;
    }
    this.counts[low]!++;
    this.sum += value;
    this.last = undefined;
  }

  /**
   * What was recorded so far, frozen: a copy, so that a render's snapshot does not change while it
   * is written; the same object again while nothing has been recorded since.
   */
  snapshot(): HistogramValue {
    return (this.last ??= Object.freeze({ counts: this.counts.slice(), sum: this.sum }));
  }
}
