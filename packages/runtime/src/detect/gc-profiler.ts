import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';

/** One collection as v8.GCProfiler records it; `cost` is in microseconds on Node, nanoseconds on Deno. */
export interface GcRecord {
  readonly gcType: string;
  readonly cost: number;
}

/** What v8.GCProfiler offers: it records every collection from start() to stop(), which gives the records. */
export interface GcProfilerLike {
  start(): void;
  stop(): { readonly statistics?: readonly GcRecord[] } | undefined;
}

// Short-lived objects until a minor collection: at most 64 rounds of 16 384 (about 32 MB in all).
const ROUNDS = 64;
const OBJECTS_PER_ROUND = 16_384;

/**
 * Microseconds per unit of the `cost` that `v8.GCProfiler` records for a collection, or undefined
 * where there is no profiler or its unit cannot be told. Found by allocating short-lived objects
 * until the profiler records a collection (a few milliseconds, once): a pause cannot last longer
 * than the wall time around it, so a total cost within that time is in microseconds (Node), and
 * one a thousand times larger is in nanoseconds (on Deno, two forced full collections of 19.3 ms
 * wall time once recorded 19 167 446).
 */
export function gcCostScale(
  makeProfiler: (() => GcProfilerLike) | null = typeof v8.GCProfiler === 'function' ? () => new v8.GCProfiler() : null,
  now: () => number = () => performance.now(),
): number | undefined {
  if (makeProfiler === null) return undefined;
  const profiler = makeProfiler();
  const startedAt = now();
  let cost = 0;
  let recorded = false;
  let chain: { readonly next: unknown } | undefined;
  for (let round = 0; round < ROUNDS && !recorded; round++) {
    profiler.start();
    for (let i = 0; i < OBJECTS_PER_ROUND; i++) chain = { next: i % 64 === 0 ? undefined : chain };
    for (const record of profiler.stop()?.statistics ?? []) {
      recorded = true;
      cost += record.cost;
    }
  }
  const wallMicroseconds = (now() - startedAt) * 1000;
  if (!recorded) return undefined;
  if (cost <= wallMicroseconds) return 1;
  if (cost / 1000 <= wallMicroseconds) return 1 / 1000;
  return undefined;
}
