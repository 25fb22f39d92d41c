import { BucketLayout, HistogramRecorder, RollingWindow, SharedWork, singleton, type HistogramValue, type Lease } from '@runometer/core';
import { has } from '@runometer/runtime';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { DelayHistogram, type DelayStats } from './delay-histogram.js';

/** Milliseconds the loop has spent running code and waiting for events since it started. */
export interface LoopClock {
  readonly active: number;
  readonly idle: number;
}

export interface LoopTime extends LoopClock {
  /** Undefined when no time has passed since the window's start. */
  readonly utilization: number | undefined;
}

/** Every interval value describes the last WINDOW_SECONDS to WINDOW_SECONDS + 1 seconds. */
export const WINDOW_SECONDS = 10;
/**
 * The mean wait between the sampler's turns while the process works (each wait is drawn from
 * half to one and a half of it). A block shorter than the wait may go unseen, and a block is
 * seen short by up to the wait.
 */
export const SAMPLE_INTERVAL_MS = 20;
/**
 * The mean wait while the process is idle. Each wakeup of an idle process costs CPU (hundreds of
 * microseconds: bench/runtime-costs.bench.js prints a 20 ms and a 200 ms timer's share of a core at
 * idle, and a wakeup's cost), where a process that is awake anyway pays a few microseconds a turn. So the sampler slows down
 * when there is nothing to see: a lone block in an idle process is seen short by up to this wait.
 */
export const IDLE_SAMPLE_INTERVAL_MS = 200;
/**
 * The process is working when a turn comes at least LATE_TURN_MS late, or when it used at least
 * BUSY_CPU_SHARE of a core since the sampler last looked (the last turn while idle, the start of
 * the hold while working); the sampler then keeps its working pace for at least BUSY_HOLD_MS.
 * The share is well above what the sampler itself costs at its working pace (a wakeup of an idle
 * process every 20 ms: bench/runtime-costs.bench.js), or it would keep itself busy.
 */
export const LATE_TURN_MS = 3;
export const BUSY_CPU_SHARE = 0.1;
const SLOT_MS = 1000;
export const BUSY_HOLD_MS = SLOT_MS;
/**
 * A wait is one of WAIT_STEPS + 1 evenly spaced values from half to one and a half of the mean
 * (10, 11, … 30 ms while working): whole milliseconds, so that each wait keeps one timer, made once
 * and started again with `refresh()`, and a turn allocates no Timeout, closure or timer key (a
 * fractional wait was a new key of Node's timer lists every turn).
 */
export const WAIT_STEPS = 20;

/**
 * The default bucket layout of `eventloop_delay_seconds`, in seconds: ten bounds a decade (1, 1.25,
 * 1.5, 2, 2.5, 3, 4, 5, 6, 8) from 1 ms to 8 s, and 10 s (41 bounds, `+Inf` above). The sampler's
 * turns come up to a millisecond late in a quiet process (a timer fires to the millisecond: the
 * first bucket holds them) and up to a block's length late under load, from milliseconds to
 * seconds; a quantile read from the buckets is within `worstQuantileError(DELAY_BUCKETS)` of the
 * true delay (the README's table gives it). One series per process, so finer than the http
 * preset's layout, whose series multiply by routes.
 */
export const DELAY_BUCKETS: readonly number[] = Object.freeze(
  [0.001, 0.01, 0.1, 1]
    .flatMap((decade) => [1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8].map((step) => Number((decade * step).toPrecision(3))))
    .concat(10),
);

const NO_CLOCK: LoopClock = { active: 0, idle: 0 };

function processCpu(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * The event loop's delay and utilization over a rolling window, so that two scrapers reading
 * at different rates see the same interval. Delay is sampled by a timer that notes how late it
 * fires: being a lateness, it never includes the timer's own interval (Node's
 * monitorEventLoopDelay does, by its 10 ms resolution, which readers must subtract). The
 * timer is unref'd, runs only while a meter uses the threads preset, and slows down while the
 * process is idle.
 */
/**
 * The native layout of `eventloop_delay_seconds`, for a Prometheus that scrapes native histograms:
 * schema 3 (each bucket 2^(1/8) times the last, a quantile within 9.05% of the true delay), delays
 * of 2^-20 s (0.95 µs) or less counted as zero.
 */
export const DELAY_NATIVE = Object.freeze({ schema: 3, zeroThreshold: 2 ** -20 });

@singleton()
export class EventLoopMonitor {
  private readonly histogram = new DelayHistogram(WINDOW_SECONDS + 1);
  private readonly layout = new BucketLayout('EventLoopMonitor.delayBuckets', DELAY_BUCKETS);
  /** Every delay sampled since the first sampler started, in seconds; made with the first. */
  private delayCounts: HistogramRecorder | undefined;
  private readonly utilizations = new RollingWindow<LoopClock>(WINDOW_SECONDS + 1);
  /** The sampler's timers by wait, each made at its first use since the start: at most 2 × (WAIT_STEPS + 1). */
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** The timer of the next turn; undefined while stopped. A timer that fires when it is not this one does nothing. */
  private pending: ReturnType<typeof setTimeout> | undefined;
  private expectedAt = 0;
  private nextSlotAt = 0;
  private busyUntil = 0;
  private cpuReadAt = 0;
  private cpuRead = 0;
  private readonly sampling = new SharedWork(
    () => this.schedule(this.begin(performance.now(), processCpu())),
    () => {
      clearTimeout(this.pending);
      this.pending = undefined;
      // A cleared Timeout cannot be started again: the next start makes new ones.
      this.timers.clear();
    },
  );

  /** Holds the sampler for a meter: it runs from the first hold to the last release. */
  acquire(): Lease {
    return this.sampling.acquire();
  }

  /**
   * The bucket layout of `eventloop_delay_seconds`, in seconds (`DELAY_BUCKETS` by default):
   * settable, checked as a field's `buckets` are, until a meter uses the threads preset or a delay
   * is sampled; after that a change throws, saying which.
   */
  get delayBuckets(): readonly number[] {
    return this.layout.bounds;
  }

  set delayBuckets(bounds: readonly number[]) {
    this.layout.bounds = bounds;
  }

  /** The layout a meter's `eventloop_delay_seconds` takes: fixed from now on. */
  useDelayBuckets(): readonly number[] {
    return this.layout.fix('a meter uses the threads preset');
  }

  private schedule(wait: number): void {
    let timer = this.timers.get(wait);
    if (timer === undefined) {
      const made = setTimeout(() => this.turn(made), wait);
      made.unref();
      this.timers.set(wait, made);
      timer = made;
    } else {
      timer.refresh();
    }
    this.pending = timer;
  }

  private turn(timer: ReturnType<typeof setTimeout>): void {
    if (timer === this.pending) this.schedule(this.sample(performance.now()));
  }

  /** Empties the window and returns the wait until the first turn, at the working pace. */
  begin(now: number, cpu: number): number {
    this.histogram.reset();
    this.utilizations.clear();
    this.snapshotUtilization();
    this.nextSlotAt = now + SLOT_MS;
    this.busyUntil = now + BUSY_HOLD_MS;
    this.cpuReadAt = now;
    this.cpuRead = cpu;
    this.expectedAt = now + SAMPLE_INTERVAL_MS;
    return SAMPLE_INTERVAL_MS;
  }

  /**
   * One turn of the sampler at `now`: records how late it came, moves the window when a slot is
   * due, and returns the wait until the next turn. `readCpu` gives the process's CPU microseconds
   * so far; it is asked only when the sampler would otherwise slow down (every turn while idle,
   * once per BUSY_HOLD_MS while working), for the share of a core used since it was last asked.
   * `jitter` (0 to 1) draws the wait among WAIT_STEPS + 1 steps from half to one and a half of the mean: a fixed
   * interval phase-locks with a periodic load (20 ms blocks every 250 ms were always caught at
   * the same two points of the block, and reported as 8 to 11 ms), a random one samples every
   * point of it.
   */
  sample(now: number, readCpu: () => number = processCpu, jitter = Math.random()): number {
    // After a long block, move the window by as many slots as went by (all of them at most).
    for (let slots = 0; now >= this.nextSlotAt && slots <= WINDOW_SECONDS; slots++) {
      this.histogram.rotate();
      this.snapshotUtilization();
      this.nextSlotAt += SLOT_MS;
    }
    if (now >= this.nextSlotAt) this.nextSlotAt = now + SLOT_MS;
    const delay = Math.max(0, now - this.expectedAt);
    this.histogram.record(delay);
    (this.delayCounts ??= new HistogramRecorder(this.layout.fix('a delay was sampled'), DELAY_NATIVE)).record(delay / 1000);
    if (delay >= LATE_TURN_MS) {
      this.busyUntil = now + BUSY_HOLD_MS;
    } else if (now >= this.busyUntil) {
      const cpu = readCpu();
      const elapsedMs = now - this.cpuReadAt;
      if (elapsedMs > 0 && (cpu - this.cpuRead) / 1000 >= BUSY_CPU_SHARE * elapsedMs) this.busyUntil = now + BUSY_HOLD_MS;
      this.cpuReadAt = now;
      this.cpuRead = cpu;
    }
    const step = Math.min(WAIT_STEPS, Math.floor(jitter * (WAIT_STEPS + 1)));
    const mean = now < this.busyUntil ? SAMPLE_INTERVAL_MS : IDLE_SAMPLE_INTERVAL_MS;
    const wait = (mean * (WAIT_STEPS / 2 + step)) / WAIT_STEPS;
    this.expectedAt = now + wait;
    return wait;
  }

  /** Delay over the window, in milliseconds; undefined when the window holds no sample. */
  delay(): DelayStats | undefined {
    return this.histogram.stats();
  }

  /** Every delay sampled since the sampler first started, in seconds, counted in `delayBuckets`; undefined before the first. */
  delays(): HistogramValue | undefined {
    return this.delayCounts?.snapshot();
  }

  /**
   * The share of the window the loop spent running code (0 to 1), and the milliseconds it has
   * been active and idle since it started; undefined where the runtime cannot tell.
   */
  loop(): LoopTime | undefined {
    const oldest = this.utilizations.oldest;
    // Bun and Deno answer eventLoopUtilization() with zeros, which would read as an idle loop.
    if (oldest === undefined || !has('loopUtilization')) return undefined;
    const { active, idle } = this.readLoopTime();
    const elapsed = active - oldest.active + (idle - oldest.idle);
    return { utilization: elapsed > 0 ? (active - oldest.active) / elapsed : undefined, active, idle };
  }

  /** Reads the loop's clock; tests replace it. */
  readLoopTime: () => LoopClock = () => performance.eventLoopUtilization?.() ?? NO_CLOCK;

  // Taken whether or not the clock runs: Node's answers zeros until its loop has started, and it
  // is told from a stub only then (see `loop()`).
  private snapshotUtilization(): void {
    this.utilizations.push(this.readLoopTime());
  }
}
