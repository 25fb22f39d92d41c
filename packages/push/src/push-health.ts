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
 * what a closed pusher counted; buffers and last errors are those of the open ones.
 */
@singleton()
export class PushHealth {
  private readonly pushers: (() => PushStats)[] = [];
  /** What closed pushers counted, kept in the sums once they are gone. */
  private readonly retired = { sent: 0, dropped: 0, refused: 0, retries: 0, buffered: 0 };
  /** When each pusher's last error happened, to tell which is the latest. */
  private readonly failedAt = new Map<() => PushStats, number>();
  private failures = 0;

  /** Adds a pusher's stats to the sums. */
  track(stats: () => PushStats): void {
    this.pushers.push(stats);
  }

  /** A closed pusher: its counters stay in the sums, its buffer and last error go. */
  retire(stats: () => PushStats): void {
    const index = this.pushers.indexOf(stats);
    if (index === -1) return;
    this.pushers.splice(index, 1);
    this.failedAt.delete(stats);
    const { sent, dropped, refused, retries } = stats();
    this.retired.sent += sent;
    this.retired.dropped += dropped;
    this.retired.refused += refused;
    this.retired.retries += retries;
  }

  /** Records that a pusher's last request failed (the latest failure wins `lastError`). */
  failed(stats: () => PushStats): void {
    this.failedAt.set(stats, ++this.failures);
  }

  total(counter: 'sent' | 'dropped' | 'refused' | 'retries' | 'buffered'): number {
    let sum = this.retired[counter];
    for (const stats of this.pushers) sum += stats()[counter];
    return sum;
  }

  /** The latest error among open pushers whose last request failed; undefined when every last request succeeded. */
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
