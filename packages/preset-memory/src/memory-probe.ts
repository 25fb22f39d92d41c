import { detectRuntime, readingOrDenied, singleton, type RuntimeInfo } from '@runometer/core';
import { totalmem } from 'node:os';
import v8 from 'node:v8';
import { ProcStatmFile, type ProcMemory } from './proc-statm.js';

export interface MemoryUsage {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  /** Undefined where it does not count Buffers and typed arrays (Bun, Deno): see `arrayBuffersCountBuffers`. */
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

const TEST_ALLOCATION_BYTES = 1 << 20;

/**
 * Whether `arrayBuffers` counts what `Buffer.alloc` takes, tested by allocating 1 MiB: Node counts
 * it; Bun 1.4 counts `new ArrayBuffer(n)` but neither Buffers nor typed arrays; Deno reports 0.
 * Twice, in case a collection freed other buffers between the two readings.
 */
export function arrayBuffersCountBuffers(readArrayBuffers = () => process.memoryUsage().arrayBuffers): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    const before = readArrayBuffers();
    const buffer = Buffer.alloc(TEST_ALLOCATION_BYTES);
    const grown = readArrayBuffers() - before;
    // Reading `buffer` after the second reading keeps it alive until then.
    if (grown >= TEST_ALLOCATION_BYTES / 2 && buffer.length > 0) return true;
  }
  return false;
}

/** Reads memory from the runtime, and says which readings the runtime cannot give. */
@singleton()
export class MemoryProbe {
  readonly runtime: RuntimeInfo = detectRuntime();
  private readonly statm = new ProcStatmFile();
  private readers = 0;
  private countsBuffers: boolean | undefined;

  memoryUsage(): MemoryUsage {
    const usage = process.memoryUsage();
    this.countsBuffers ??= arrayBuffersCountBuffers();
    return this.countsBuffers ? usage : { ...usage, arrayBuffers: undefined };
  }

  /** Undefined on Bun, where each call costs about a millisecond and the figures are synthesized. */
  heapStatistics(): v8.HeapInfo | undefined {
    return this.runtime.name === 'bun' ? undefined : v8.getHeapStatistics();
  }

  /** Undefined on Bun, for the same reasons. */
  heapSpaces(): v8.HeapSpaceInfo[] | undefined {
    return this.runtime.name === 'bun' ? undefined : v8.getHeapSpaceStatistics();
  }

  /** Undefined where there is no /proc; throws a `PermissionDeniedError` where it may not be read. */
  readonly procMemory = readingOrDenied((): ProcMemory | undefined => this.statm.read(this.readers > 0));

  /**
   * The cgroup memory limit, or undefined when there is none: runtimes say "none" with 0, with
   * 2^64, with int64's maximum, or (Bun) with the machine's total memory.
   */
  readonly constrainedMemory = readAtMostEvery(
    SLOW_READ_INTERVAL_MS,
    readingOrDenied((): number | undefined => {
      const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
      return limit !== undefined && limit > 0 && limit < totalmem() ? limit : undefined;
    }),
  );

  /** Memory the process may still take, cgroup limit included; undefined where the runtime lacks it. */
  readonly availableMemory = readAtMostEvery(
    SLOW_READ_INTERVAL_MS,
    readingOrDenied((): number | undefined => (process as { availableMemory?: () => number }).availableMemory?.()),
  );

  acquire(): void {
    this.readers++;
  }

  /** A release without an acquire does nothing: the count never goes below zero. */
  release(): void {
    if (this.readers === 0) return;
    if (--this.readers === 0) this.statm.close();
  }
}
