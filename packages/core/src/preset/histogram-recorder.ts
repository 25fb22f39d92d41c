import { checkBuckets, type HistogramValue } from '../model/histogram.js';
import { checkNativeLayout, countedSpan, nativeBucketIndex, type NativeLayout } from '../model/native-histogram.js';

/**
 * A copy of a recorder's native buckets, made by `copyNative()` and reused from copy to copy:
 * `counts[i]` for `i` below `length` counts bucket `offset + i`. Start one empty:
 * `{ zeroCount: 0, offset: 0, length: 0, counts: new Float64Array(0) }`.
 */
export interface NativeCopy {
  zeroCount: number;
  offset: number;
  length: number;
  counts: Float64Array;
}

/**
 * Counts observations into a fixed bucket layout, for a histogram field: `record()` adds one
 * without allocating, `snapshot()` gives the value the field returns.
 *
 * ```ts
 * const durations = new HistogramRecorder([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]);
 * durations.record(0.012);
 * meter.addField('request_duration_seconds', () => durations.snapshot(), { kind: 'histogram', buckets: durations.bounds, unit: 'seconds' });
 * ```
 *
 * Given a native layout too (`new HistogramRecorder(bounds, { schema: 3 })`, the field's `native`
 * as well), it counts each observation in its exponential bucket: a dense run of counts from the
 * lowest bucket seen to the highest, grown when an observation falls outside it, so recording
 * allocates nothing once the values' range has been seen. Its size is what the values span:
 * 2^schema counts per doubling (8 at schema 3: 160 for durations from 1 µs to 17 min, 1.3 KB).
 */
export class HistogramRecorder {
  /** The upper bounds, checked and frozen: give them as the field's `buckets`. */
  readonly bounds: readonly number[];
  /** The bounds again, as doubles side by side: the search reads no number boxed apart from its array. */
  private readonly searched: Float64Array;
  private readonly counts: Float64Array;
  private sum = 0;
  /** The native layout, checked and frozen, when given: give it as the field's `native`. */
  readonly native: NativeLayout | undefined;
  private nativeCounts = new Float64Array(0);
  /** The bucket `nativeCounts[0]` counts. */
  private nativeOffset = 0;
  private zeroCount = 0;
  /** The last snapshot, kept until an observation changes it. */
  private last: HistogramValue | undefined;

  constructor(bounds: readonly number[], native?: { readonly schema: number; readonly zeroThreshold?: number }) {
    this.bounds = checkBuckets('HistogramRecorder', bounds);
    this.searched = Float64Array.from(this.bounds);
    this.counts = new Float64Array(this.bounds.length + 1);
    this.native = native === undefined ? undefined : checkNativeLayout('HistogramRecorder', native);
  }

  /**
   * Adds one observation to the first bucket whose bound is at least `value` (above the last bound:
   * to `+Inf`). A negative, NaN or infinite value is not recorded: a histogram's sum only grows.
   */
  record(value: number): void {
    if (!(value >= 0 && value < Infinity)) return;
    const { searched } = this;
    let low = 0;
    let high = searched.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (value <= searched[middle]!) high = middle;
      else low = middle + 1;
    }
    this.counts[low]!++;
    this.sum += value;
    this.last = undefined;
    if (this.native !== undefined) this.recordNative(value, this.native);
  }

  private recordNative(value: number, { schema, zeroThreshold }: NativeLayout): void {
    if (value <= zeroThreshold) {
      this.zeroCount++;
      return;
    }
    const index = nativeBucketIndex(value, schema);
    let at = index - this.nativeOffset;
    if (at < 0 || at >= this.nativeCounts.length) at = this.growTo(index);
    this.nativeCounts[at]!++;
  }

  /** Widens the run of native counts to bucket `index`, with as much room again on that side; its position in the new run. */
  private growTo(index: number): number {
    const { nativeCounts: old, nativeOffset: oldOffset } = this;
    const room = Math.max(old.length, 8);
    let offset = oldOffset;
    let end = oldOffset + old.length;
    if (old.length === 0) {
      offset = index - (room >> 1);
      end = offset + room;
    } else if (index < oldOffset) offset = index - room;
    else end = index + room + 1;
    this.nativeCounts = new Float64Array(end - offset);
    if (old.length > 0) this.nativeCounts.set(old, oldOffset - offset);
    this.nativeOffset = offset;
    return index - offset;
  }

  /**
   * Copies the native buckets as they are now into `into`, from the first bucket with a count to
   * the last, in its own array while that is long enough: a window over the recorder (the counts as
   * each of its slots began) kept without allocating once warm. Without a native layout, or before
   * the first observation above the zero threshold, no bucket is copied.
   */
  copyNative(into: NativeCopy): void {
    const { nativeCounts } = this;
    const { first, end } = countedSpan(nativeCounts);
    if (into.counts.length < end - first) into.counts = new Float64Array(end - first);
    into.counts.set(nativeCounts.subarray(first, end));
    into.length = end - first;
    into.offset = this.nativeOffset + first;
    into.zeroCount = this.zeroCount;
  }

  /**
   * What was recorded so far, frozen: a copy, so that a render's snapshot does not change while it
   * is written; the same object again while nothing has been recorded since.
   */
  snapshot(): HistogramValue {
    return (this.last ??= Object.freeze(
      this.native === undefined
        ? { counts: this.counts.slice(), sum: this.sum }
        : {
            counts: this.counts.slice(),
            sum: this.sum,
            native: Object.freeze({ zeroCount: this.zeroCount, offset: this.nativeOffset, counts: this.nativeCounts.slice() }),
          },
    ));
  }
}
