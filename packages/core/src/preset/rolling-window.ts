/**
 * Snapshots of cumulative counters (CPU time, event-loop time…) taken once per slot and kept
 * for a fixed number of slots. The oldest one is where a rolling window starts, so a rate
 * computed from it means the same whoever reads it and however often: a second scraper
 * cannot shrink the first one's interval.
 */
export class RollingWindow<T> {
  private readonly snapshots: T[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  push(snapshot: T): void {
    this.snapshots.push(snapshot);
    if (this.snapshots.length > this.capacity) this.snapshots.shift();
  }

  /** The oldest snapshot kept, or undefined before the first push. */
  get oldest(): T | undefined {
    return this.snapshots[0];
  }

  clear(): void {
    this.snapshots.length = 0;
  }
}
