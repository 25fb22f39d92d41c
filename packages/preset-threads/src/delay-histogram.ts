export interface DelayStats {
  /** Samples in the window. */
  readonly count: number;
  /** Milliseconds. */
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
}

// Buckets grow by 2^(1/16), about 4.4%: a percentile is within about 2.2% of the true sample
// value, whatever its size, from 1 µs (everything below is "no delay") to 10 minutes.
const SMALLEST_MS = 0.001;
const BUCKETS_PER_DOUBLING = 16;
const BUCKETS = Math.ceil(Math.log2(600_000 / SMALLEST_MS) * BUCKETS_PER_DOUBLING) + 1;

function bucketOf(ms: number): number {
  if (ms <= SMALLEST_MS) return 0;
  return Math.min(BUCKETS - 1, Math.floor(Math.log2(ms / SMALLEST_MS) * BUCKETS_PER_DOUBLING) + 1);
}

function valueOf(bucket: number): number {
  return bucket === 0 ? 0 : SMALLEST_MS * 2 ** ((bucket - 0.5) / BUCKETS_PER_DOUBLING);
}

interface Slot {
  readonly counts: Uint32Array;
  count: number;
  sum: number;
  min: number;
  max: number;
}

function emptySlot(): Slot {
  return { counts: new Uint32Array(BUCKETS), count: 0, sum: 0, min: Infinity, max: -Infinity };
}

/**
 * A histogram of event-loop delays over a rolling window of `slots` slots, the current one
 * included. Bounded: a fixed number of buckets per slot, and a running total of the window so
 * that reading it never merges slots. Min, max and mean are exact; percentiles are bucketed.
 */
export class DelayHistogram {
  private readonly ring: Slot[];
  private current = 0;
  private readonly window = new Uint32Array(BUCKETS);

  constructor(readonly slots: number) {
    this.ring = Array.from({ length: slots }, emptySlot);
  }

  record(ms: number): void {
    const bucket = bucketOf(ms);
    const slot = this.ring[this.current]!;
    slot.counts[bucket]!++;
    this.window[bucket]!++;
    slot.count++;
    slot.sum += ms;
    if (ms < slot.min) slot.min = ms;
    if (ms > slot.max) slot.max = ms;
  }

  /** Starts a new slot; the oldest one leaves the window. */
  rotate(): void {
    this.current = (this.current + 1) % this.slots;
    const expired = this.ring[this.current]!;
    if (expired.count > 0) {
      for (let i = 0; i < BUCKETS; i++) this.window[i]! -= expired.counts[i]!;
      this.ring[this.current] = emptySlot();
    }
  }

  reset(): void {
    for (let i = 0; i < this.slots; i++) this.ring[i] = emptySlot();
    this.window.fill(0);
  }

  /** Undefined when the window holds no sample: an empty interval has no delay to report. */
  stats(): DelayStats | undefined {
    let count = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const slot of this.ring) {
      count += slot.count;
      sum += slot.sum;
      if (slot.min < min) min = slot.min;
      if (slot.max > max) max = slot.max;
    }
    if (count === 0) return undefined;
    const [p50, p90, p99] = this.percentiles(count, [50, 90, 99]).map((value) => Math.min(max, Math.max(min, value)));
    return { count, min, max, mean: sum / count, p50: p50!, p90: p90!, p99: p99! };
  }

  /** One walk of the window's buckets for every percentile, which must be in ascending order. */
  private percentiles(count: number, percents: readonly number[]): number[] {
    const values: number[] = [];
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS && values.length < percents.length; bucket++) {
      seen += this.window[bucket]!;
      while (values.length < percents.length && seen >= Math.ceil((percents[values.length]! / 100) * count)) values.push(valueOf(bucket));
    }
    return values;
  }
}
