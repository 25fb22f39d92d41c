import { describe, expect, test } from 'vitest';
import { EventLoopMonitor, SAMPLE_INTERVAL_MS, WINDOW_SECONDS } from './event-loop-monitor.js';

describe('EventLoopMonitor', () => {
  test('records how late each sample comes, never the sampling interval itself', () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0);
    monitor.sample(SAMPLE_INTERVAL_MS);
    monitor.sample(2 * SAMPLE_INTERVAL_MS + 50);
    monitor.sample(3 * SAMPLE_INTERVAL_MS + 50.5);
    expect(monitor.delay()).toMatchObject({ count: 3, min: 0, max: 50, mean: 50.5 / 3 });
  });

  test('has no delay to report before its first sample', () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0);
    expect(monitor.delay()).toBeUndefined();
  });

  test(`forgets a block once ${WINDOW_SECONDS + 1} seconds have gone by`, () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0);
    let last = SAMPLE_INTERVAL_MS + 200;
    monitor.sample(last); // 200 ms late
    const onTimeUntil = (end: number) => {
      for (; last + SAMPLE_INTERVAL_MS <= end; last += SAMPLE_INTERVAL_MS) monitor.sample(last + SAMPLE_INTERVAL_MS);
    };
    onTimeUntil(WINDOW_SECONDS * 1000 + 500);
    expect(monitor.delay()!.max).toBe(200);
    onTimeUntil((WINDOW_SECONDS + 1) * 1000 + 500);
    expect(monitor.delay()).toMatchObject({ min: 0, max: 0 });
  });

  test('after a block longer than the window, keeps only the sample that saw it', () => {
    const monitor = new EventLoopMonitor();
    monitor.begin(0);
    monitor.sample(SAMPLE_INTERVAL_MS);
    monitor.sample(5_000);
    monitor.sample(60_000);
    const late = 60_000 - (5_000 + SAMPLE_INTERVAL_MS);
    expect(monitor.delay()).toMatchObject({ count: 1, min: late, max: late });
  });

  test('measures utilization on Node only, over the window', () => {
    const monitor = new EventLoopMonitor();
    expect(monitor.measuresUtilization).toBe(true);
    expect(monitor.loop()).toBeUndefined();
    monitor.begin(0);
    const loop = monitor.loop()!;
    expect(loop.utilization).toBeGreaterThanOrEqual(0);
    expect(loop.utilization).toBeLessThanOrEqual(1);
    expect(loop.active).toBeGreaterThan(0);
  });

  test('sees a block of the real loop once started, and stops with its last user', async () => {
    const monitor = new EventLoopMonitor();
    monitor.start();
    monitor.start();
    await new Promise((resolve) => setTimeout(resolve, 3 * SAMPLE_INTERVAL_MS));
    const blockedUntil = performance.now() + 60;
    while (performance.now() < blockedUntil);
    await new Promise((resolve) => setTimeout(resolve, 2 * SAMPLE_INTERVAL_MS));
    // The sampler was due at most one of its longest waits into the block, so it came at least 30 ms late.
    expect(monitor.delay()!.max).toBeGreaterThanOrEqual(60 - 1.5 * SAMPLE_INTERVAL_MS);
    monitor.stop();
    const count = monitor.delay()!.count;
    await new Promise((resolve) => setTimeout(resolve, 3 * SAMPLE_INTERVAL_MS));
    expect(monitor.delay()!.count).toBeGreaterThan(count);
    monitor.stop();
    const stopped = monitor.delay()!.count;
    await new Promise((resolve) => setTimeout(resolve, 3 * SAMPLE_INTERVAL_MS));
    expect(monitor.delay()!.count).toBe(stopped);
  });
});
