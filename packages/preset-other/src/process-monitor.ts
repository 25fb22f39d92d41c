import { RollingWindow, detectRuntime, singleton } from '@runometer/core';
import { PerformanceObserver, constants, performance, type PerformanceEntry } from 'node:perf_hooks';
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

function cpuSnapshot(): CpuSnapshot {
  const { user, system } = process.cpuUsage();
  return { cpu: user + system, at: performance.now() };
}

/**
 * Background work of the other preset, running only while a meter uses it: a once-a-second
 * CPU snapshot for the rolling CPU percentage (unref'd timer), and, on Node, an observer of
 * garbage collections. Bun and Deno deliver no `gc` performance entries: no GC totals there.
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
    this.cpu.push(cpuSnapshot());
    this.timer = setInterval(() => this.cpu.push(cpuSnapshot()), 1000);
    this.timer.unref();
    if (this.observesGc) {
      for (const kind of GC_KINDS) this.gc.set(kind, { count: 0, pause: 0 });
      this.observer = new PerformanceObserver((list) => this.countCollections(list.getEntries()));
      this.observer.observe({ entryTypes: ['gc'] });
    }
  }

  stop(): void {
    if (this.users === 0 || --this.users > 0) return;
    clearInterval(this.timer);
    this.observer?.disconnect();
    this.timer = undefined;
    this.observer = undefined;
  }

  /**
   * CPU time over the window as a share of one core (100 is one core busy all the time), given
   * the CPU microseconds used so far (user and system), which the caller has already read.
   */
  cpuPercent(cpuMicroseconds: number): number | undefined {
    const oldest = this.cpu.oldest;
    if (oldest === undefined) return undefined;
    const now = { cpu: cpuMicroseconds, at: performance.now() };
    const wallMicroseconds = (now.at - oldest.at) * 1000;
    return wallMicroseconds > 0 ? ((now.cpu - oldest.cpu) / wallMicroseconds) * 100 : undefined;
  }

  /** Collections and their total pause by kind since the monitor started; undefined off Node. */
  gcTotals(): ReadonlyMap<GcKind, GcTotals> | undefined {
    return this.observer === undefined ? undefined : this.gc;
  }

  countCollections(entries: readonly PerformanceEntry[]): void {
    for (const entry of entries) {
      const kind = KIND_BY_FLAG.get((entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1);
      const totals = kind && this.gc.get(kind);
      if (!totals) continue;
      totals.count++;
      totals.pause += entry.duration;
    }
  }
}
