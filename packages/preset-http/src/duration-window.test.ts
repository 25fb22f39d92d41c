import { HistogramRecorder } from '@runometer/core';
import { nativeBucketIndex, nativeUpperBound } from '@runometer/core/format';
import { describe, expect, test } from 'vitest';
import { DurationWindow } from './duration-window.js';
import { DURATION_NATIVE } from './http-recorder.js';

/** The value a percentile in `seconds`' bucket reads: its bucket's geometric middle, to 4 significant digits. */
const middleOf = (seconds: number) => Number(nativeUpperBound(3, nativeBucketIndex(seconds, 3) - 0.5).toPrecision(4));

function windowOf(slots: number) {
  const durations = new HistogramRecorder([1], DURATION_NATIVE);
  const window = new DurationWindow(durations, slots);
  return {
    window,
    record(seconds: number, slot: number) {
      window.enter(slot);
      durations.record(seconds);
    },
  };
}

describe('DurationWindow', () => {
  test('percentiles of the window: ranks by ceiling, as the event-loop delay reads them', () => {
    const { window, record } = windowOf(3);
    for (let i = 1; i <= 100; i++) record(i === 100 ? 1 : 0.00001, 5);
    const [short, long] = [middleOf(0.00001), middleOf(1)];
    expect(window.percentiles(5)).toEqual({ count: 100, p50: short, p90: short, p99: short });
    record(0.002, 6);
    expect(window.percentiles(6)).toEqual({ count: 101, p50: short, p90: short, p99: middleOf(0.002) });
    expect(long).toBe(0.9576);
  });

  test('a percentile is within 4.5% of the duration it reads (2^(1/16) - 1, and 4 digits)', () => {
    for (let seconds = 1e-6; seconds < 3600; seconds *= 1.013) {
      const { window, record } = windowOf(1);
      record(seconds, 0);
      expect(Math.abs(window.percentiles(0)!.p50 - seconds) / seconds).toBeLessThanOrEqual(0.045);
    }
  });

  test('the window is what was recorded since its earliest slot with a duration began', () => {
    const { window, record } = windowOf(3);
    record(0.002, 10);
    record(0.00001, 11);
    expect(window.percentiles(12)?.count).toBe(2);
    expect(window.percentiles(13)).toEqual({ count: 1, p50: middleOf(0.00001), p90: middleOf(0.00001), p99: middleOf(0.00001) });
    expect(window.percentiles(14)).toBeUndefined();
    record(0.002, 20); // takes the place of slot 11
    expect(window.percentiles(20)).toEqual({ count: 1, p50: middleOf(0.002), p90: middleOf(0.002), p99: middleOf(0.002) });
    // Slots 21 and 22 had none: the window from 21 to 23 begins with slot 23's first duration.
    record(30, 23);
    expect(window.percentiles(23)).toEqual({ count: 1, p50: middleOf(30), p90: middleOf(30), p99: middleOf(30) });
  });

  test('counts the durations the native run grew to hold on either side, and reads the zero bucket as 0', () => {
    const { window, record } = windowOf(11);
    record(0.001, 1);
    record(3600, 2);
    record(1e-7, 3);
    record(2 ** -20, 3);
    expect(window.percentiles(3)).toEqual({ count: 4, p50: 0, p90: middleOf(3600), p99: middleOf(3600) });
  });

  test('the first slots of a process are a window too, and a recorder without native buckets is refused', () => {
    const { window, record } = windowOf(11);
    record(0.5, 0);
    expect(window.percentiles(4)?.count).toBe(1);
    expect(() => new DurationWindow(new HistogramRecorder([1]), 11)).toThrow(
      'DurationWindow reads native buckets: its recorder needs a native layout',
    );
  });
});
