/**
 * Log-linear buckets over whole microseconds: exact below 16 µs, then 8 buckets per doubling
 * (each 12.5% of its lower bound wide, so a percentile read at a bucket's middle is within 6.25%
 * of the true duration) up to 2^31 µs, about 36 minutes. A bucket is found with integer
 * operations alone: no logarithm per request.
 */
const SUB_BUCKET_BITS = 3;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
const EXACT_BELOW = SUB_BUCKETS * 2;
const LARGEST_MICROSECONDS = 0x7fffffff;
export const BUCKETS = (31 - SUB_BUCKET_BITS + 1) * SUB_BUCKETS;

export function bucketOf(ms: number): number {
  const microseconds = ms >= LARGEST_MICROSECONDS / 1000 ? LARGEST_MICROSECONDS : ms > 0 ? (ms * 1000) | 0 : 0;
  if (microseconds < EXACT_BELOW) return microseconds;
  const shift = 31 - Math.clz32(microseconds) - SUB_BUCKET_BITS;
  return (shift + 1) * SUB_BUCKETS + ((microseconds >>> shift) & (SUB_BUCKETS - 1));
}

/** The middle of a bucket, in seconds. */
export function secondsOf(bucket: number): number {
  if (bucket < EXACT_BELOW) return (bucket + 0.5) / 1e6;
  const shift = (bucket >>> SUB_BUCKET_BITS) - 1;
  const lower = (SUB_BUCKETS + (bucket & (SUB_BUCKETS - 1))) * 2 ** shift;
  return (lower + 2 ** shift / 2) / 1e6;
}

export interface DurationPercentiles {
  /** Requests in the window. */
  readonly count: number;
  /** Seconds. */
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

const PERCENTS = [50, 90, 99] as const;

/**
 * Durations over a rolling window of `slots` slots of time, the current one included: a
 * histogram per slot and a running total of the window. A slot's histogram is made on its first
 * duration and reused when its turn comes again, so recording allocates nothing once a series is
 * warm. A slot leaves the window lazily, when it is reused or when the window is read: no timer.
 */
export class DurationWindow {
  private readonly histograms: (Uint32Array | undefined)[];
  /** The slot number each histogram holds; -1 for none. */
  private readonly slotOf: number[];
  private readonly window = new Uint32Array(BUCKETS);
  private count = 0;

  constructor(readonly slots: number) {
    this.histograms = new Array<Uint32Array | undefined>(slots).fill(undefined);
    this.slotOf = new Array<number>(slots).fill(-1);
  }

  /** Records a duration of `ms` milliseconds in slot number `slot` (which only grows). */
  record(ms: number, slot: number): void {
    const index = slot % this.slots;
    let histogram = this.histograms[index];
    if (this.slotOf[index] !== slot) histogram = this.reuse(index, slot);
    const bucket = bucketOf(ms);
    histogram![bucket]!++;
    this.window[bucket]!++;
    this.count++;
  }

  /** The median, 90th and 99th percentiles of the window ending with slot `slot`; undefined when it is empty. */
  percentiles(slot: number): DurationPercentiles | undefined {
    for (let index = 0; index < this.slots; index++) {
      const held = this.slotOf[index]!;
      if (held !== -1 && held <= slot - this.slots) this.expire(index);
    }
    if (this.count === 0) return undefined;
    const values: number[] = [];
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS && values.length < PERCENTS.length; bucket++) {
      seen += this.window[bucket]!;
      while (values.length < PERCENTS.length && seen >= Math.ceil((PERCENTS[values.length]! / 100) * this.count))
        values.push(secondsOf(bucket));
    }
    return { count: this.count, p50: values[0]!, p90: values[1]!, p99: values[2]! };
  }

  private reuse(index: number, slot: number): Uint32Array {
    this.expire(index);
    this.slotOf[index] = slot;
    return (this.histograms[index] ??= new Uint32Array(BUCKETS));
  }

  /** Takes a slot's durations out of the window and empties it. */
  private expire(index: number): void {
    const histogram = this.histograms[index];
    this.slotOf[index] = -1;
    if (histogram === undefined) return;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      const n = histogram[bucket]!;
      if (n === 0) continue;
      this.window[bucket]! -= n;
      this.count -= n;
      histogram[bucket] = 0;
    }
  }
}
