import { RollingWindow, detectRuntime, singleton } from '@runometer/core';
import { PerformanceObserver, constants, performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';

/** CPU percentage describes the last WINDOW_SECONDS to WINDOW_SECONDS + 1 seconds. */
export const WINDOW_SECONDS = 10;

export const GC_KINDS = ['minor', 'major', 'incremental', 'weakcb'] as const;
export type GcKind = (typeof GC_KINDS)[number];
export interface GcTotals {
  count: number;
  /** Milliseconds. */
  pause: number;
}

/** A `gc` performance entry: its duration in milliseconds, its kind in `detail.kind`. */
export interface GcEntry {
  readonly duration: number;
  readonly detail?: unknown;
}

const KIND_BY_FLAG = new Map<number, GcKind>([
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
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
 * Background work of the other preset, running only while a meter uses it: one unref'd
 * once-a-second timer takes a CPU snapshot for the rolling CPU percentage, and on Node a
 * PerformanceObserver counts every `gc` entry it is given. The observer costs a service nothing
 * measurable, where a v8.GCProfiler kept running added 13 to 17% to its CPU per request
 * (`npm run bench`, host cost). Bun and Deno deliver no `gc` entries: no GC totals there.
 */
@singleton()
export class ProcessMonitor {
  readonly observesGc = detectRuntime().name === 'node';
  private readonly cpu = new RollingWindow<CpuSnapshot>(WINDOW_SECONDS + 1);
  private readonly gc = new Map<GcKind, GcTotals>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private observer: PerformanceObserver | undefined;
  private users = 0;

  start(): void {
    if (this.users++ > 0) return;
    this.cpu.clear();
    this.tick();
    if (this.observesGc) {
      for (const kind of GC_KINDS) this.gc.set(kind, { count: 0, pause: 0 });
      // Every entry of every callback: prom-client and OpenTelemetry read only the first of each batch.
      this.observer = new PerformanceObserver((list) => this.countCollections(list.getEntries()));
      this.observer.observe({ entryTypes: ['gc'] });
    }
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.users === 0 || --this.users > 0) return;
    clearInterval(this.timer);
    this.observer?.disconnect();
    this.timer = undefined;
    this.observer = undefined;
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

  /** Collections and their total pause by kind since the monitor started; undefined off Node. */
  gcTotals(): ReadonlyMap<GcKind, GcTotals> | undefined {
    return this.observer === undefined ? undefined : this.gc;
  }

  countCollections(entries: readonly GcEntry[]): void {
    for (const entry of entries) {
      const kind = KIND_BY_FLAG.get((entry.detail as { kind?: number } | undefined)?.kind ?? -1);
      const totals = kind && this.gc.get(kind);
      if (!totals) continue;
      totals.count++;
      totals.pause += entry.duration;
    }
  }
}
