import { expect, test } from 'vitest';
import { PROCESS_START_NS, nanosecondsOf } from './data-points.js';

test('milliseconds since the epoch become nanoseconds to the nanosecond, where a number multiplied by 1e6 is off by up to 128 ns', () => {
  expect(nanosecondsOf(1_796_696_902_066)).toBe(1_796_696_902_066_000_000n);
  expect(BigInt(Math.round(1_796_696_902_066 * 1e6))).not.toBe(1_796_696_902_066_000_000n);
  expect(nanosecondsOf(1_796_696_902_066.25)).toBe(1_796_696_902_066_250_000n);
  expect(nanosecondsOf(0.000001)).toBe(1n);
  // The process's start, read back: its whole milliseconds, then the nanoseconds beyond them, within the half nanosecond rounding leaves.
  const wholeMilliseconds = Math.floor(performance.timeOrigin);
  expect(PROCESS_START_NS / 1_000_000n).toBe(BigInt(wholeMilliseconds));
  const beyond = Number(PROCESS_START_NS % 1_000_000n);
  expect(Math.abs(beyond - (performance.timeOrigin - wholeMilliseconds) * 1e6)).toBeLessThanOrEqual(0.5);
});
