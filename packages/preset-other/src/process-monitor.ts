import { RollingWindow, SharedWork, singleton, type Lease } from '@runometer/core';
import { gcCostMicroseconds } from '@runometer/runtime';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { GCProfiler } from 'node:v8';

/** CPU percentage describes the last WINDOW_SECONDS to WINDOW_SECONDS + 1 seconds. */
export const WINDOW_SECONDS = 10;

export const GC_KINDS = ['minor', 'major', 'incremental', 'weakcb'] as const;
export type GcKind = (typeof GC_KINDS)[number];
export interface GcTotals {
  count: number;
  /** Milliseconds. */
  pause: number;
}

/** One collection as v8.GCProfiler records it; `cost` is in microseconds on Node, nanoseconds on Deno. */
export interface GcRecord {
  readonly gcType: string;
  readonly cost: number;
}

const KIND_BY_TYPE = new Map<string, GcKind>([
  ['Scavenge', 'minor'],
  ['MinorMarkSweep', 'minor'],
  ['MinorMarkCompact', 'minor'],
  ['MarkSweepCompact', 'major'],
  ['IncrementalMarking', 'incremental'],
  ['ProcessWeakCallbacks', 'weakcb'],
]);

interface CpuSnapshot {
  /** Microseconds of CPU, user and system. */
  readonly cpu: number;
  /** Milliseconds of wall time. */
  readonly at: number;
}

function processCpu(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Background work of the other preset, running only while a meter uses it, on one unref'd
 * once-a-second timer: a CPU snapshot for the rolling CPU percentage, and, where V8's GC profiler
 * records collections (Node; Deno, in nanoseconds), the collections it recorded in the last second.
 * In CPU profiles of a busy JSON service, the profiler (recording in C++, read and restarted once
 * a second) took 0.2 to 0.3% of its CPU, where a PerformanceObserver of `gc` entries took 0.8 to
 * 1.15%: Node builds a JavaScript entry for every collection. GC totals therefore lag by up to a
 * second. Bun's profiler is an emulation over JavaScriptCore whose records we could not check: no
 * GC totals there.
 */
@singleton()
export class ProcessMonitor {
  private readonly cpu = new RollingWindow<CpuSnapshot>(WINDOW_SECONDS + 1);
  private readonly gc = new Map<GcKind, GcTotals>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private profiler: GCProfiler | undefined;
  /** Microseconds per unit of a record's cost. */
  private costScale = 1;
  private readonly running = new SharedWork(
    () => this.start(),
    () => this.stop(),
  );

  /** Holds the monitor for a meter: it runs from the first hold to the last release. */
  acquire(): Lease {
    return this.running.acquire();
  }

  private start(): void {
    this.cpu.clear();
    this.tick();
    const costScale = gcCostMicroseconds();
    if (costScale !== undefined) {
      this.costScale = costScale;
      for (const kind of GC_KINDS) this.gc.set(kind, { count: 0, pause: 0 });
      this.profiler = new GCProfiler();
      this.profiler.start();
    }
    this.timer = setInterval(() => {
      this.tick();
      this.takeCollections();
    }, 1000);
    this.timer.unref();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.profiler?.stop();
    this.timer = undefined;
    this.profiler = undefined;
  }

  /** Takes the window's CPU snapshot for this second. */
  tick(cpu = processCpu(), at = performance.now()): void {
    this.cpu.push({ cpu, at });
  }

  /**
   * CPU time over the window as a share of one core (100 is one core busy all the time), given
   * the CPU microseconds used so far (user and system), which the caller has already read.
   */
  cpuPercent(cpuMicroseconds: number, at = performance.now()): number | undefined {
    const oldest = this.cpu.oldest;
    if (oldest === undefined) return undefined;
    const wallMicroseconds = (at - oldest.at) * 1000;
    return wallMicroseconds > 0 ? ((cpuMicroseconds - oldest.cpu) / wallMicroseconds) * 100 : undefined;
  }

  /** Collections and their total pause by kind since the monitor started; undefined where the runtime records none. */
  gcTotals(): ReadonlyMap<GcKind, GcTotals> | undefined {
    return this.profiler === undefined ? undefined : this.gc;
  }

  /** A profiler gives its records when stopped: takes them and starts it again at once. */
  private takeCollections(): void {
    if (this.profiler === undefined) return;
    const records = (this.profiler.stop() as { statistics?: GcRecord[] } | undefined)?.statistics ?? [];
    this.profiler.start();
    this.countCollections(records);
  }

  /** Adds `records` to the totals; `microsecondsPerCost` is the unit of their `cost` (this runtime's, unless told). */
  countCollections(records: readonly GcRecord[], microsecondsPerCost = this.costScale): void {
    for (const { gcType, cost } of records) {
      const kind = KIND_BY_TYPE.get(gcType);
      const totals = kind && this.gc.get(kind);
      if (!totals) continue;
      totals.count++;
      totals.pause += (cost * microsecondsPerCost) / 1000;
    }
  }
}
