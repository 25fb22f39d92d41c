import { describe, expect, test } from 'vitest';
import { nativeBucketIndex } from '@runometer/core/format';
import {
  BUSY_CPU_SHARE,
  BUSY_HOLD_MS,
  DELAY_BUCKETS,
  DELAY_NATIVE,
  EventLoopMonitor,
  IDLE_SAMPLE_INTERVAL_MS,
  LATE_TURN_MS,
  SAMPLE_INTERVAL_MS,
  WAIT_STEPS,
  WINDOW_SECONDS,
} from './event-loop-monitor.js';

// A jitter of 0.5 draws the mean wait exactly.
const MEAN = 0.5;

/**
 * Turns that each come on time, the process having used `cpu` µs of CPU so far, from the turn
 * expected `wait` after `from` until `end`: returns when the last came and the wait it drew.
 */
function onTimeUntil(monitor: EventLoopMonitor, from: number, wait: number, end: number, cpu = 0): { last: number; wait: number } {
  let last = from;
  for (let now = from + wait; now <= end; now += wait) {
    last = now;
    wait = monitor.sample(now, () => cpu, MEAN);
  }
  return { last, wait };
}

describe('EventLoopMonitor', () => {
  test('records how late each turn comes, never the wait itself', () => {
    const monitor = new EventLoopMonitor();
    expect(monitor.begin(0, 0)).toBe(SAMPLE_INTERVAL_MS);
    monitor.sample(SAMPLE_INTERVAL_MS, () => 0, MEAN);
    monitor.sample(2 * SAMPLE_INTERVAL_MS + 50, () => 0, MEAN);
    monitor.sample(3 * SAMPLE_INTERVAL_MS + 50.5, () => 0, MEAN);
    expect(monitor.delay()).toMatchObject({ count: 3, min: 0, max: 50, mean: 50.5 / 3 });
  });

  test('draws each wait between half and one and a half of the mean', () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0, 0);
    expect(monitor.sample(20, () => 0, 0)).toBe(SAMPLE_INTERVAL_MS / 2);
    expect(monitor.sample(30, () => 0, 1)).toBe(SAMPLE_INTERVAL_MS * 1.5);
    // The next turn is expected after the wait drawn: coming 30 ms after is on time.
    monitor.sample(60, () => 0, MEAN);
    expect(monitor.delay()!.max).toBe(0);
  });

  test(`draws whole milliseconds, ${WAIT_STEPS + 1} waits at each pace, each as likely`, () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0, 0);
    const jitters = Array.from({ length: 21 * 100 }, (_, i) => i / (21 * 100));
    const working = jitters.map((jitter, i) => monitor.sample(i / 10, () => 0, jitter));
    const counts = new Map<number, number>();
    for (const wait of working) counts.set(wait, (counts.get(wait) ?? 0) + 1);
    expect([...counts.keys()]).toEqual(Array.from({ length: 21 }, (_, i) => 10 + i));
    expect(new Set(counts.values())).toEqual(new Set([100]));
    const idle = new EventLoopMonitor();
    let { last, wait } = onTimeUntil(idle, 0, idle.begin(0, 0), BUSY_HOLD_MS);
    expect(wait).toBe(IDLE_SAMPLE_INTERVAL_MS);
    const waits: number[] = [];
    for (const jitter of [0, 0.3, 0.5, 0.99]) {
      last += wait;
      wait = idle.sample(last, () => 0, jitter);
      waits.push(wait);
    }
    expect(waits).toEqual([100, 160, 200, 300]);
  });

  test(`slows to ${IDLE_SAMPLE_INTERVAL_MS} ms waits ${BUSY_HOLD_MS} ms after the process last used ${BUSY_CPU_SHARE * 100}% of a core between turns`, () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0, 0);
    // It starts at the working pace, and keeps it for BUSY_HOLD_MS.
    expect(onTimeUntil(monitor, 0, SAMPLE_INTERVAL_MS, BUSY_HOLD_MS - 1)).toEqual({
      last: BUSY_HOLD_MS - SAMPLE_INTERVAL_MS,
      wait: SAMPLE_INTERVAL_MS,
    });
    expect(monitor.sample(BUSY_HOLD_MS, () => 0, MEAN)).toBe(IDLE_SAMPLE_INTERVAL_MS);
    // 19.99 ms of CPU in 200 ms stays idle; 20 ms is 10% of a core: working for another BUSY_HOLD_MS.
    expect(monitor.sample(BUSY_HOLD_MS + 200, () => 19_990, MEAN)).toBe(IDLE_SAMPLE_INTERVAL_MS);
    expect(monitor.sample(BUSY_HOLD_MS + 400, () => 39_990, MEAN)).toBe(SAMPLE_INTERVAL_MS);
    const working = onTimeUntil(monitor, BUSY_HOLD_MS + 400, SAMPLE_INTERVAL_MS, 2 * BUSY_HOLD_MS + 399, 39_990);
    expect(working).toEqual({ last: 2 * BUSY_HOLD_MS + 380, wait: SAMPLE_INTERVAL_MS });
    expect(monitor.sample(2 * BUSY_HOLD_MS + 400, () => 39_990, MEAN)).toBe(IDLE_SAMPLE_INTERVAL_MS);
    expect(monitor.delay()!.max).toBe(0);
  });

  test('while working, reads the CPU once a hold rather than every turn', () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0, 0);
    let reads = 0;
    const readCpu = () => {
      reads++;
      return reads * 200_000; // 20% of a core whenever it looks, at most once a second
    };
    let now = 0;
    let wait = SAMPLE_INTERVAL_MS;
    for (; now + wait <= 3 * BUSY_HOLD_MS; ) {
      now += wait;
      wait = monitor.sample(now, readCpu, MEAN);
    }
    // About 150 turns in 3 s, and a read at the end of each hold: at 1, 2 and 3 s.
    expect(wait).toBe(SAMPLE_INTERVAL_MS);
    expect(reads).toBe(3);
  });

  test(`returns to the working pace after a turn ${LATE_TURN_MS} ms late, whatever the CPU`, () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0, 0);
    const { last, wait } = onTimeUntil(monitor, 0, SAMPLE_INTERVAL_MS, 3000);
    expect(wait).toBe(IDLE_SAMPLE_INTERVAL_MS);
    const almost = last + IDLE_SAMPLE_INTERVAL_MS + LATE_TURN_MS - 0.01;
    expect(monitor.sample(almost, () => 0, MEAN)).toBe(IDLE_SAMPLE_INTERVAL_MS);
    expect(monitor.sample(almost + IDLE_SAMPLE_INTERVAL_MS + LATE_TURN_MS + 0.01, () => 0, MEAN)).toBe(SAMPLE_INTERVAL_MS);
    expect(monitor.delay()!.max).toBeCloseTo(LATE_TURN_MS + 0.01, 9);
  });

  test('sees a block in an idle process short by at most the idle wait, and then samples at the working pace', () => {
    const monitor = new EventLoopMonitor();
    const { last } = onTimeUntil(monitor, 0, monitor.begin(0, 0), 5000);
    // Idle: the next turn is due 200 ms after the last; a 500 ms block starting 50 ms after it
    // delays the turn by 350 ms, and used 500 ms of CPU.
    expect(monitor.sample(last + 50 + 500, () => 500_000, MEAN)).toBe(SAMPLE_INTERVAL_MS);
    expect(monitor.delay()!.max).toBe(350);
  });

  test('has no delay to report before its first turn', () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0, 0);
    expect(monitor.delay()).toBeUndefined();
  });

  test('counts every delay since its first turn in delayBuckets, in seconds: past the window, and across a restart of the sampler', () => {
    const monitor = new EventLoopMonitor();
    expect(monitor.delayBuckets).toEqual(DELAY_BUCKETS);
    monitor.delayBuckets = [0.001, 0.1];
    monitor.begin(0, 0);
    expect(monitor.delays()).toBeUndefined();
    monitor.sample(SAMPLE_INTERVAL_MS, () => 0, MEAN); // on time
    monitor.sample(2 * SAMPLE_INTERVAL_MS + 50, () => 0, MEAN); // 50 ms late
    expect(() => (monitor.delayBuckets = [1])).toThrow(
      'EventLoopMonitor.delayBuckets cannot change once a delay was sampled: counts of one layout cannot be written under another; set it before that',
    );
    monitor.sample(60_000, () => 0, MEAN); // a block longer than the window
    expect(monitor.delay()!.count).toBe(1);
    monitor.begin(70_000, 0);
    monitor.sample(70_000 + SAMPLE_INTERVAL_MS + 0.5, () => 0, MEAN);
    const late = 60_000 - (2 * SAMPLE_INTERVAL_MS + 50 + SAMPLE_INTERVAL_MS);
    const delays = monitor.delays()!;
    expect({ counts: delays.counts, sum: delays.sum }).toEqual({ counts: new Float64Array([2, 1, 1]), sum: (50 + late + 0.5) / 1000 });
    // The same delays in schema 3's buckets: the one on time counts as zero.
    const { zeroCount, offset, counts } = delays.native!;
    const buckets = Array.from(counts, (count, i) => [offset + i, count]).filter(([, count]) => count! > 0);
    expect({ zeroCount, buckets }).toEqual({
      zeroCount: 1,
      buckets: [0.0005, 0.05, late / 1000].map((seconds) => [nativeBucketIndex(seconds, DELAY_NATIVE.schema), 1]),
    });
  });

  test("a meter's layout stays: useDelayBuckets fixes it", () => {
    const monitor = new EventLoopMonitor();
    expect(monitor.useDelayBuckets()).toEqual(DELAY_BUCKETS);
    expect(() => (monitor.delayBuckets = [1])).toThrow('EventLoopMonitor.delayBuckets cannot change once a meter uses the threads preset');
  });

  test(`forgets a block once ${WINDOW_SECONDS + 1} seconds have gone by`, () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0, 0);
    const wait = monitor.sample(SAMPLE_INTERVAL_MS + 200, () => 200_000, MEAN); // 200 ms late
    const { last } = onTimeUntil(monitor, SAMPLE_INTERVAL_MS + 200, wait, WINDOW_SECONDS * 1000 + 500, 200_000);
    expect(monitor.delay()!.max).toBe(200);
    onTimeUntil(monitor, last, IDLE_SAMPLE_INTERVAL_MS, (WINDOW_SECONDS + 1) * 1000 + 500, 200_000);
    expect(monitor.delay()).toMatchObject({ min: 0, max: 0 });
  });

  test('after a block longer than the window, keeps only the turn that saw it', () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0, 0);
    monitor.sample(SAMPLE_INTERVAL_MS, () => 0, MEAN);
    monitor.sample(5_000, () => 0, MEAN);
    monitor.sample(60_000, () => 0, MEAN);
    // The turn at 5 s came late, so the next was expected at the working pace.
    const late = 60_000 - (5_000 + SAMPLE_INTERVAL_MS);
    expect(monitor.delay()).toMatchObject({ count: 1, min: late, max: late });
  });

  test('gives the share of the window the loop was active, from its clock at each slot', () => {
    const monitor = new EventLoopMonitor();
    let clock = { active: 0, idle: 0 };
    monitor.readLoopTime = () => clock;
    monitor.begin(0, 0);
    expect(monitor.loop()).toEqual({ utilization: undefined, active: 0, idle: 0 });
    // Each second the loop runs 250 ms: a slot begins at every whole second.
    let wait = SAMPLE_INTERVAL_MS;
    for (let now = wait; now <= 12_000; now += wait) {
      clock = { active: now / 4, idle: (now * 3) / 4 };
      wait = monitor.sample(now, () => now * 250, MEAN);
    }
    expect(monitor.loop()).toEqual({ utilization: 0.25, active: 3000, idle: 9000 });
    // Then it runs all the time: the window, from 2 s to 12.5 s, holds 10.5 s of which 0.5 s all active.
    clock = { active: 3500, idle: 9000 };
    expect(monitor.loop()!.utilization).toBeCloseTo((2500 + 500) / 10_500, 12);
  });

  test('measures utilization on Node, over the window', () => {
    const monitor = new EventLoopMonitor();
    expect(monitor.loop()).toBeUndefined();
    monitor.begin(0, 0);
    const loop = monitor.loop()!;
    expect(loop.utilization).toBeGreaterThanOrEqual(0);
    expect(loop.utilization).toBeLessThanOrEqual(1);
    expect(loop.active).toBeGreaterThan(0);
  });

  test('sees a block of the real loop once started, and stops with its last user', async () => {
    const monitor = new EventLoopMonitor();
    const first = monitor.acquire();
    const second = monitor.acquire();
    await new Promise((resolve) => setTimeout(resolve, 3 * SAMPLE_INTERVAL_MS));
    const blockedUntil = performance.now() + 60;
    while (performance.now() < blockedUntil);
    await new Promise((resolve) => setTimeout(resolve, 2 * SAMPLE_INTERVAL_MS));
    // Started at the working pace, the sampler was due at most one of its longest waits into the block: at least 30 ms late.
    expect(monitor.delay()!.max).toBeGreaterThanOrEqual(60 - 1.5 * SAMPLE_INTERVAL_MS);
    first.release();
    first.release();
    const count = monitor.delay()!.count;
    await new Promise((resolve) => setTimeout(resolve, 3 * SAMPLE_INTERVAL_MS));
    // The first user's second release did not stop the sampler under the second.
    expect(monitor.delay()!.count).toBeGreaterThan(count);
    second.release();
    const stopped = monitor.delay()!.count;
    await new Promise((resolve) => setTimeout(resolve, 3 * SAMPLE_INTERVAL_MS));
    expect(monitor.delay()!.count).toBe(stopped);
  });

  test('samples again when used again, with the timers it made before, and stops again', async () => {
    const monitor = new EventLoopMonitor();
    for (let use = 0; use < 3; use++) {
      const lease = monitor.acquire();
      await new Promise((resolve) => setTimeout(resolve, 8 * SAMPLE_INTERVAL_MS));
      expect(monitor.delay()!.count).toBeGreaterThanOrEqual(2);
      lease.release();
      const stopped = monitor.delay()!.count;
      await new Promise((resolve) => setTimeout(resolve, 3 * SAMPLE_INTERVAL_MS));
      expect(monitor.delay()!.count).toBe(stopped);
    }
  });
});
