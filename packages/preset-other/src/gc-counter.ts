import { HistogramRecorder, type HistogramValue } from '@runometer/core';
import type { GcProfilerLike, GcRecord } from '@runometer/runtime';
import { PerformanceObserver } from 'node:perf_hooks';

export const GC_KINDS = ['minor', 'major', 'incremental', 'weakcb'] as const;
export type GcKind = (typeof GC_KINDS)[number];

/**
 * The default bucket layout of `gc_duration_seconds`, in seconds: 1, 2, 3 and 5 of each power of
 * ten from 0.1 ms to 0.5 s, with 0.05 ms below and 1 s above (18 bounds, `+Inf` above). V8's
 * pauses live there: a weak-callback pass or an incremental marking step in tens of microseconds,
 * a scavenge in a millisecond or so, a full mark-compact of a large heap in tens to hundreds of
 * milliseconds. A quantile read from the buckets is within `worstQuantileError(GC_DURATION_BUCKETS)`
 * of the true pause (the README's table gives it, and prom-client's `nodejs_gc_duration_seconds`'
 * beside it), in a series per bucket, `+Inf`, `_sum` and `_count` per kind.
 */
export const GC_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.00005, 0.0001, 0.0002, 0.0003, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1,
]);

/** One collection as a PerformanceObserver of `gc` entries receives it: `detail.kind` is V8's GCType bit, `duration` milliseconds. */
export interface GcEntry {
  readonly duration: number;
  readonly detail?: unknown;
}

// @types/node 20 does not declare the static list.
export const listsGcEntries = () =>
  (PerformanceObserver as { supportedEntryTypes?: readonly string[] }).supportedEntryTypes?.includes('gc') === true;

/** Delivers the runtime's `gc` entries to `onEntries`; returns what stops it. */
export function observeGcEntries(onEntries: (entries: readonly GcEntry[]) => void): () => void {
  const observer = new PerformanceObserver((list) => onEntries(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}

export interface GcSources {
  /** Starts delivering `gc` entries to `onEntries` and returns what stops it; absent where the runtime lists no `gc` entry type. */
  readonly observe?: (onEntries: (entries: readonly GcEntry[]) => void) => () => void;
  /** V8's GC profiler, which records every collection with its cost once started. */
  readonly profiler?: GcProfilerLike;
  /**
   * Microseconds per unit of a profiler record's `cost`, asked once the profiler is chosen (finding
   * it costs a test that allocates: runtime's `gcCostMicroseconds`); undefined where it cannot be told.
   */
  readonly microsecondsPerCost: () => number | undefined;
}

const KIND_BY_PROFILER_TYPE = new Map<string, GcKind>([
  ['Scavenge', 'minor'],
  ['MinorMarkSweep', 'minor'],
  ['MinorMarkCompact', 'minor'],
  ['MarkSweepCompact', 'major'],
  ['IncrementalMarking', 'incremental'],
  ['ProcessWeakCallbacks', 'weakcb'],
]);

// v8::GCType: kGCTypeScavenge, kGCTypeMinorMarkSweep, kGCTypeMarkSweepCompact, kGCTypeIncrementalMarking, kGCTypeProcessWeakCallbacks.
const KIND_BY_ENTRY_KIND = new Map<number, GcKind>([
  [1, 'minor'],
  [2, 'minor'],
  [4, 'major'],
  [8, 'incremental'],
  [16, 'weakcb'],
]);

function entryKind(entry: GcEntry): GcKind | undefined {
  const kind = (entry.detail as { kind?: unknown } | null | undefined)?.kind;
  return typeof kind === 'number' ? KIND_BY_ENTRY_KIND.get(kind) : undefined;
}

/**
 * Counts V8's collections by kind, each pause in a histogram of `bounds` (seconds), from the cheapest source that delivers them.
 * A PerformanceObserver of `gc` entries gets one entry a collection (Node; up to Node 24 each entry
 * carries deprecated accessors that the old generation holds until a full collection, which every
 * observer of `gc` pays: bench/heap.bench.js); `v8.GCProfiler`
 * writes the heap's statistics before and after every collection, which cost a busy allocating
 * Node service a share of its CPU that grew with its age (paired against a bare twin, first and
 * last quarter of the rounds: bench/host-cost.bench.js with the `gc-profiler` piece prints it). Deno lists the `gc` entry type but delivers no
 * entry, and only its profiler records collections. So both start: the first entry delivered stops
 * the profiler for good (Node); records the profiler took one read or more before, with no entry
 * delivered since, stop the observer instead (Deno). The histograms stay empty until one source is
 * chosen, then count everything since the start: the observer's entries all (a batch may carry many
 * collections), the profiler's records kept until then. The profiler's unit is asked only when it is
 * chosen: where it cannot be told, nothing is counted (`byKind` is undefined).
 */
export class GcCounter {
  private readonly pauses: ReadonlyMap<GcKind, HistogramRecorder>;
  private source: 'undecided' | 'observer' | 'profiler' | 'unmeasured' = 'undecided';
  private microsecondsPerCost = 1;
  private held: GcRecord[] = [];
  private stopObserving: (() => void) | undefined;

  constructor(
    private readonly sources: GcSources,
    bounds: readonly number[],
  ) {
    this.pauses = new Map(GC_KINDS.map((kind) => [kind, new HistogramRecorder(bounds)]));
  }

  start(): void {
    this.stopObserving = this.sources.observe?.((entries) => this.observed(entries));
    this.sources.profiler?.start();
  }

  stop(): void {
    this.stopObserving?.();
    this.stopObserving = undefined;
    if (this.source === 'undecided' || this.source === 'profiler') this.sources.profiler?.stop();
  }

  /** Each kind's pauses since the start, in seconds; empty until a source is chosen, undefined if the profiler was and its unit is unknown. */
  get byKind(): ReadonlyMap<GcKind, HistogramValue> | undefined {
    if (this.source === 'unmeasured') return undefined;
    return new Map(GC_KINDS.map((kind) => [kind, this.pauses.get(kind)!.snapshot()]));
  }

  /** Which source counts: undefined until chosen. */
  get chosen(): 'observer' | 'profiler' | 'unmeasured' | undefined {
    return this.source === 'undecided' ? undefined : this.source;
  }

  /** Takes the profiler's records (it gives them when stopped, and starts again at once); called once a second. */
  read(): void {
    const { profiler } = this.sources;
    if (profiler === undefined || this.source === 'observer' || this.source === 'unmeasured') return;
    const records = profiler.stop()?.statistics ?? [];
    profiler.start();
    if (this.source === 'profiler') return this.countRecords(records);
    if (this.held.length === 0) {
      this.held = [...records];
      return;
    }
    this.stopObserving?.();
    this.stopObserving = undefined;
    const microsecondsPerCost = this.sources.microsecondsPerCost();
    if (microsecondsPerCost === undefined) {
      this.source = 'unmeasured';
      this.held = [];
      profiler.stop();
      return;
    }
    this.source = 'profiler';
    this.microsecondsPerCost = microsecondsPerCost;
    this.countRecords(this.held);
    this.countRecords(records);
    this.held = [];
  }

  private observed(entries: readonly GcEntry[]): void {
    if (this.source === 'profiler') return;
    if (this.source === 'undecided') {
      this.source = 'observer';
      this.held = [];
      this.sources.profiler?.stop();
    }
    for (const entry of entries) {
      const kind = entryKind(entry);
      if (kind !== undefined) this.add(kind, entry.duration);
    }
  }

  private countRecords(records: readonly GcRecord[]): void {
    for (const { gcType, cost } of records) {
      const kind = KIND_BY_PROFILER_TYPE.get(gcType);
      if (kind !== undefined) this.add(kind, (cost * this.microsecondsPerCost) / 1000);
    }
  }

  private add(kind: GcKind, pauseMilliseconds: number): void {
    this.pauses.get(kind)!.record(pauseMilliseconds / 1000);
  }
}
