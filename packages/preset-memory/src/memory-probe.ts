import { detectRuntime, singleton, type RuntimeInfo } from '@runometer/core';
import { totalmem } from 'node:os';
import v8 from 'node:v8';
import { ProcStatmFile, type ProcMemory } from './proc-statm.js';

export interface MemoryUsage {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  /** Undefined on Deno, which always reports 0. */
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
  readonly runtime: RuntimeInfo = detectRuntime();
  private readonly statm = new ProcStatmFile();
  private readers = 0;

  memoryUsage(): MemoryUsage {
    const usage = process.memoryUsage();
    return this.runtime.name === 'deno' ? { ...usage, arrayBuffers: undefined } : usage;
  }

  /** Undefined on Bun, where each call costs about a millisecond and the figures are synthesized. */
  heapStatistics(): v8.HeapInfo | undefined {
    return this.runtime.name === 'bun' ? undefined : v8.getHeapStatistics();
  }

  /** Undefined on Bun, for the same reasons. */
  heapSpaces(): v8.HeapSpaceInfo[] | undefined {
    return this.runtime.name === 'bun' ? undefined : v8.getHeapSpaceStatistics();
  }

  procMemory(): ProcMemory | undefined {
    return this.statm.read();
  }

  /**
   * The cgroup memory limit, or undefined when there is none: runtimes say "none" with 0, with
   * 2^64, with int64's maximum, or (Bun) with the machine's total memory.
   */
  readonly constrainedMemory = readAtMostEvery(SLOW_READ_INTERVAL_MS, (): number | undefined => {
    const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
    return limit !== undefined && limit > 0 && limit < totalmem() ? limit : undefined;
  });

  /** Memory the process may still take, cgroup limit included; undefined where the runtime lacks it. */
  readonly availableMemory = readAtMostEvery(SLOW_READ_INTERVAL_MS, (): number | undefined =>
    (process as { availableMemory?: () => number }).availableMemory?.(),
  );

  acquire(): void {
    this.readers++;
  }

  release(): void {
    if (--this.readers === 0) this.statm.close();
  }
}
