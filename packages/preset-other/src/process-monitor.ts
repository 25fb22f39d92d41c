import { BucketLayout, RollingWindow, SharedWork, singleton, type HistogramValue, type Lease } from '@runometer/core';
import { gcCostMicroseconds, v8GcProfiler } from '@runometer/runtime';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { GC_DURATION_BUCKETS, GcCounter, listsGcEntries, observeGcEntries, type GcKind } from './gc-counter.js';

/** CPU percentage describes the last WINDOW_SECONDS to WINDOW_SECONDS + 1 seconds. */
export const WINDOW_SECONDS = 10;

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
 * once-a-second timer: a CPU snapshot for the rolling CPU percentage, and, where V8's collections
 * are recorded (Node, Deno), each one's pause, by kind (see `GcCounter` for the source). Bun's
 * profiler is an emulation over JavaScriptCore whose records we could not check: no GC totals there.
 */
@singleton()
export class ProcessMonitor {
  private readonly cpu = new RollingWindow<CpuSnapshot>(WINDOW_SECONDS + 1);
  private timer: ReturnType<typeof setInterval> | undefined;
  private gc: GcCounter | undefined;
  private counting = true;
  private readonly layout = new BucketLayout('ProcessMonitor.gcDurationBuckets', GC_DURATION_BUCKETS);
  private readonly running = new SharedWork(
    () => this.start(),
    () => this.stop(),
  );

  /** Holds the monitor for a meter: it runs from the first hold to the last release. */
  acquire(): Lease {
    return this.running.acquire();
  }

  /**
   * Whether the monitor counts garbage collections (true by default). False leaves the GC fields
   * out and starts no source: on Node 20 to 24 every observer of `gc` entries costs a busy service
   * what Node's own entries make its heap keep (README: What the values measure). Takes effect at
   * once, counting from zero again when turned back on.
   */
  get countCollections(): boolean {
    return this.counting;
  }

  set countCollections(counting: boolean) {
    if (typeof counting !== 'boolean') throw new TypeError(`countCollections must be true or false, got ${String(counting)}`);
    if (counting === this.counting) return;
    this.counting = counting;
    if (this.timer === undefined) return;
    if (counting) this.startCounting();
    else this.stopCounting();
  }

  /**
   * The bucket layout of `gc_duration_seconds`, in seconds (`GC_DURATION_BUCKETS` by default):
   * settable, checked as a field's `buckets` are, until a meter uses the other preset or the
   * monitor starts counting; after that a change throws, saying which.
   */
  get gcDurationBuckets(): readonly number[] {
    return this.layout.bounds;
  }

  set gcDurationBuckets(bounds: readonly number[]) {
    this.layout.bounds = bounds;
  }

  /** The layout a meter's `gc_duration_seconds` takes: fixed from now on. */
  useGcDurationBuckets(): readonly number[] {
    return this.layout.fix('a meter uses the other preset');
  }

  private start(): void {
    this.cpu.clear();
    this.tick();
    if (this.counting) this.startCounting();
    this.timer = setInterval(() => {
      this.tick();
      this.gc?.read();
    }, 1000);
    this.timer.unref();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopCounting();
  }

  private startCounting(): void {
    // The profiler's unit is found (by a test that allocates until a collection) only if the
    // profiler is chosen: on Node the observer counts, and no test runs.
    const GcProfiler = v8GcProfiler();
    if (GcProfiler === undefined) return;
    const observe = listsGcEntries() ? observeGcEntries : undefined;
    const bounds = this.layout.fix('the monitor started counting collections');
    this.gc = new GcCounter({ observe, profiler: new GcProfiler(), microsecondsPerCost: gcCostMicroseconds }, bounds);
    this.gc.start();
  }

  private stopCounting(): void {
    this.gc?.stop();
    this.gc = undefined;
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

  /** Each kind's collection pauses since the monitor started counting, in seconds; undefined where the runtime records none, or in a unit not known. */
  gcDurations(): ReadonlyMap<GcKind, HistogramValue> | undefined {
    return this.gc?.byKind;
  }
}
