import { singleton } from '@runometer/core';

/** What one pusher has done so far: counters since it was made, its buffer now, its last request's error. */
export interface PushStats {
  /** Points the target accepted. */
  readonly sent: number;
  /** Points given up on: pushed out of a full buffer, answered with a 4xx that will never succeed, or left at close(). */
  readonly dropped: number;
  /** Points the target refused in a partial write (400): not sent again. */
  readonly refused: number;
  /** Requests sent again after a failure. */
  readonly retries: number;
  /** Points waiting to be sent, the request in flight included. */
  readonly buffered: number;
  /** The error of the last request, absent when it succeeded. */
  readonly lastError?: string;
}

/**
 * The health of every pusher of this process that records into the container it is resolved
 * from (one per container): what `PushPreset` renders. Counters add up over pushers, and keep
 * what a closed pusher counted.
 */
@singleton()
export class PushHealth {
  private readonly pushers: (() => PushStats)[] = [];
  /** When each pusher's last error happened, to tell which is the latest. */
  private readonly failedAt = new Map<() => PushStats, number>();
  private failures = 0;

  /** Adds a pusher's stats to the sums, for good. */
  track(stats: () => PushStats): void {
    this.pushers.push(stats);
  }

  /** Records that a pusher's last request failed (the latest failure wins `lastError`). */
  failed(stats: () => PushStats): void {
    this.failedAt.set(stats, ++this.failures);
  }

  total(counter: 'sent' | 'dropped' | 'refused' | 'retries' | 'buffered'): number {
    let sum = 0;
    for (const stats of this.pushers) sum += stats()[counter];
    return sum;
  }

  /** The latest error among pushers whose last request failed; undefined when every last request succeeded. */
  get lastError(): string | undefined {
    let latest: string | undefined;
    let latestAt = 0;
    for (const stats of this.pushers) {
      const error = stats().lastError;
      const at = this.failedAt.get(stats) ?? 0;
      if (error !== undefined && at > latestAt) [latest, latestAt] = [error, at];
    }
    return latest;
  }
}
