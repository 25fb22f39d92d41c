import { RollingWindow, detectRuntime, singleton } from '@runometer/core';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { DelayHistogram, type DelayStats } from './delay-histogram.js';

export interface LoopTime {
  readonly utilization: number;
  readonly active: number;
  readonly idle: number;
}

/** Every interval value describes the last WINDOW_SECONDS to WINDOW_SECONDS + 1 seconds. */
export const WINDOW_SECONDS = 10;
/**
 * The mean wait between the sampler's turns (each wait is drawn from half to one and a half of
 * it). A block shorter than the wait may go unseen, and a block is seen short by up to the wait.
 * Each wakeup of an idle process costs CPU (0.16 to 0.18 ms on this 2-core VM, `npm run bench`):
 * 20 ms keeps the sampler under 1% of a core there, where 10 ms took 1.6%.
 */
export const SAMPLE_INTERVAL_MS = 20;
const SLOT_MS = 1000;

/**
 * The event loop's delay and utilization over a rolling window, so that two scrapers reading
 * at different rates see the same interval. Delay is sampled by a timer that notes how late it
 * fires: being a lateness, it never includes the timer's own interval (Node's
 * monitorEventLoopDelay does, by its 10 ms resolution, which readers must subtract). The
 * timer is unref'd and runs only while a meter uses the threads preset.
 */
@singleton()
export class EventLoopMonitor {
  /** Bun and Deno answer eventLoopUtilization() with zeros, which would read as an idle loop. */
  readonly measuresUtilization = detectRuntime().name === 'node';
  private readonly histogram = new DelayHistogram(WINDOW_SECONDS + 1);
  private readonly utilizations = new RollingWindow<EventLoopUtilization>(WINDOW_SECONDS + 1);
  private timer: ReturnType<typeof setTimeout> | undefined;
  private expectedAt = 0;
  private nextSlotAt = 0;
  private users = 0;

  start(): void {
    if (this.users++ > 0) return;
    this.begin(performance.now());
    this.schedule(SAMPLE_INTERVAL_MS);
  }

  stop(): void {
    if (this.users === 0 || --this.users > 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  // Each wait is drawn between half and one and a half times the mean interval: a fixed interval
  // phase-locks with a periodic load (20 ms blocks every 250 ms were always caught at the same two
  // points of the block, and reported as 8 to 11 ms), a random one samples every point of it.
  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      const next = SAMPLE_INTERVAL_MS * (0.5 + Math.random());
      this.sample(performance.now(), next);
      this.schedule(next);
    }, delay);
    this.timer.unref();
  }

  /** Empties the window and expects the first sample one interval after `now`. */
  begin(now: number): void {
    this.histogram.reset();
    this.utilizations.clear();
    this.snapshotUtilization();
    this.expectedAt = now + SAMPLE_INTERVAL_MS;
    this.nextSlotAt = now + SLOT_MS;
  }

  /** One turn of the sampler at `now`: how late it came, a new slot when one is due, and when the next turn is expected. */
  sample(now: number, nextDelay = SAMPLE_INTERVAL_MS): void {
    // After a long block, move the window by as many slots as went by (all of them at most).
    for (let slots = 0; now >= this.nextSlotAt && slots <= WINDOW_SECONDS; slots++) {
      this.histogram.rotate();
      this.snapshotUtilization();
      this.nextSlotAt += SLOT_MS;
    }
    if (now >= this.nextSlotAt) this.nextSlotAt = now + SLOT_MS;
    this.histogram.record(Math.max(0, now - this.expectedAt));
    this.expectedAt = now + nextDelay;
  }

  /** Delay over the window, in milliseconds; undefined when the window holds no sample. */
  delay(): DelayStats | undefined {
    return this.histogram.stats();
  }

  /**
   * The share of the window the loop spent running code (0 to 1), and the milliseconds it has
   * been active and idle since it started; undefined where the runtime cannot tell.
   */
  loop(): LoopTime | undefined {
    const oldest = this.utilizations.oldest;
    if (!this.measuresUtilization || oldest === undefined) return undefined;
    const now = performance.eventLoopUtilization();
    return { utilization: performance.eventLoopUtilization(now, oldest).utilization, active: now.active, idle: now.idle };
  }

  private snapshotUtilization(): void {
    if (this.measuresUtilization) this.utilizations.push(performance.eventLoopUtilization());
  }
}
