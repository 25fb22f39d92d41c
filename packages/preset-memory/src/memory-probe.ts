import { SharedWork, singleton, type Lease } from '@runometer/core';
import { has, readingOrDenied } from '@runometer/runtime';
import { totalmem } from 'node:os';
import v8 from 'node:v8';
import { ProcStatmFile, type ProcMemory } from './proc-statm.js';

export interface MemoryUsage {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  /** Undefined where it does not count Buffers and typed arrays (Bun, Deno): the `arrayBuffersCountBuffers` capability. */
  readonly arrayBuffers: number | undefined;
}

/** Values that cost tens of microseconds to read (cgroup files) and change slowly: read at most this often. */
export const SLOW_READ_INTERVAL_MS = 10_000;

function readAtMostEvery<T>(intervalMs: number, read: () => T): () => T {
  let value: T;
  let readAt = -Infinity;
  return () => {
    const now = performance.now();
    if (now - readAt >= intervalMs) {
      value = read();
      readAt = now;
    }
    return value;
  };
}

/** Reads memory from the runtime, and says which readings the runtime cannot give. */
@singleton()
export class MemoryProbe {
  private readonly statm = new ProcStatmFile();
  // While held, /proc/self/statm stays open between reads.
  private readonly readers = new SharedWork(
    () => {},
    () => this.statm.close(),
  );

  memoryUsage(): MemoryUsage {
    const usage = process.memoryUsage();
    return has('arrayBuffersCountBuffers') ? usage : { ...usage, arrayBuffers: undefined };
  }

  /** Undefined where the figures are not V8's (Bun synthesizes them, at milliseconds a call). */
  heapStatistics(): v8.HeapInfo | undefined {
    return has('heapStatistics') ? v8.getHeapStatistics() : undefined;
  }

  /** Undefined where the spaces are not V8's (Bun synthesizes them). */
  heapSpaces(): v8.HeapSpaceInfo[] | undefined {
    return has('heapSpaces') ? v8.getHeapSpaceStatistics() : undefined;
  }

  /** Undefined where there is no /proc; throws a `PermissionDeniedError` where it may not be read. */
  readonly procMemory = readingOrDenied((): ProcMemory | undefined =>
    has('procSelf') ? this.statm.read(this.readers.running) : undefined,
  );

  /**
   * The cgroup memory limit, or undefined when there is none: runtimes say "none" with 0, with
   * 2^64, with int64's maximum, or (Bun) with the machine's total memory.
   */
  readonly constrainedMemory = readAtMostEvery(
    SLOW_READ_INTERVAL_MS,
    readingOrDenied((): number | undefined => {
      if (!has('constrainedMemory')) return undefined;
      // Undefined on Node before 22 where there is no limit.
      const limit: number | undefined = process.constrainedMemory();
      return limit !== undefined && limit > 0 && limit < totalmem() ? limit : undefined;
    }),
  );

  /** Memory the process may still take, cgroup limit included; undefined where the runtime lacks it. */
  readonly availableMemory = readAtMostEvery(
    SLOW_READ_INTERVAL_MS,
    readingOrDenied((): number | undefined => (has('availableMemory') ? process.availableMemory() : undefined)),
  );

  /** Holds the probe for a meter: its last release closes what it keeps open. */
  acquire(): Lease {
    return this.readers.acquire();
  }
}
