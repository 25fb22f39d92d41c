import type { HistogramRecorder, NativeCopy } from '@runometer/core';
import { nativeUpperBound } from '@runometer/core/format';

export interface DurationPercentiles {
  /** Requests in the window. */
  readonly count: number;
  /** Seconds. */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

const PERCENTS = [50, 90, 99] as const;

interface SlotMark extends NativeCopy {
  /** The slot whose beginning this copy is of; -1 for none. */
  slot: number;
}

const emptyMark = (): SlotMark => ({ slot: -1, zeroCount: 0, offset: 0, length: 0, counts: new Float64Array(0) });

/**
 * The durations of a rolling window of `slots` slots of time, the current one included, read from
 * a recorder's native buckets: what it counted since the window's earliest slot with a duration
 * began. The counts as each slot begins are copied when its first duration is recorded, into
 * arrays reused when the slot's turn comes again: recording costs a slot check per duration and
 * a copy per slot, and allocates nothing once the series is warm. A percentile is the geometric
 * middle of its native bucket, to 4 significant digits: within 2^(2^-(schema+1)) - 1 of the true
 * duration (4.4% at schema 3); one in the zero bucket (at most its threshold, 0.95 µs for the http
 * preset) reads 0.
 */
export class DurationWindow {
  private readonly marks: SlotMark[];
  private lastSlot = -1;

  constructor(
    private readonly durations: HistogramRecorder,
    readonly slots: number,
  ) {
    if (durations.native === undefined) throw new TypeError('DurationWindow reads native buckets: its recorder needs a native layout');
    this.marks = Array.from({ length: slots }, emptyMark);
  }

  /** Call before recording a duration in slot number `slot` (which only grows). */
  enter(slot: number): void {
    if (slot === this.lastSlot) return;
    this.lastSlot = slot;
    const mark = this.marks[slot % this.slots]!;
    mark.slot = slot;
    this.durations.copyNative(mark);
  }

  /** The median, 90th and 99th percentiles of the window ending with slot `slot`; undefined when it holds no duration. */
  percentiles(slot: number): DurationPercentiles | undefined {
    const since = this.earliestMark(slot);
    if (since === undefined) return undefined;
    const { native } = this.durations.snapshot();
    const { schema } = this.durations.native!;
    const { zeroCount, offset, counts } = native!;
    const before = (index: number) => {
      const at = index - since.offset;
      return at >= 0 && at < since.length ? since.counts[at]! : 0;
    };
    const zeroes = zeroCount - since.zeroCount;
    let count = zeroes;
    for (let i = 0; i < counts.length; i++) count += counts[i]! - before(offset + i);
    if (count === 0) return undefined;
    const values: number[] = [];
    let seen = zeroes;
    const reached = () => values.length < PERCENTS.length && seen >= Math.ceil((PERCENTS[values.length]! / 100) * count);
    while (reached()) values.push(0);
    for (let i = 0; i < counts.length && values.length < PERCENTS.length; i++) {
      seen += counts[i]! - before(offset + i);
      while (reached()) values.push(Number(nativeUpperBound(schema, offset + i - 0.5).toPrecision(4)));
    }
    return { count, p50: values[0]!, p90: values[1]!, p99: values[2]! };
  }

  /** The mark of the earliest slot of the window ending with `slot` that had a duration. */
  private earliestMark(slot: number): SlotMark | undefined {
    for (let earliest = Math.max(0, slot - this.slots + 1); earliest <= slot; earliest++) {
      const mark = this.marks[earliest % this.slots]!;
      if (mark.slot === earliest) return mark;
    }
    return undefined;
  }
}
