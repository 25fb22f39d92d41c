import { expect, test } from 'vitest';
import { measuresLoopUtilization } from './loop-utilization.js';

const clock = (idle: number, active: number) => () => ({ idle, active });

test('measures the loop where its clock has run, as on Node', () => {
  expect(measuresLoopUtilization()).toBe(true);
  expect(measuresLoopUtilization({ eventLoopUtilization: clock(0.04, 7.3), nodeTiming: { loopStart: 136 } })).toBe(true);
});

test('does not where it answers zeros once the loop has started (Bun says it started at 1, Deno does not say)', () => {
  expect(measuresLoopUtilization({ eventLoopUtilization: clock(0, 0), nodeTiming: { loopStart: 1 } })).toBe(false);
  expect(measuresLoopUtilization({ eventLoopUtilization: clock(0, 0) })).toBe(false);
  expect(measuresLoopUtilization({})).toBe(false);
});

test('has no answer yet while Node has not started its loop', () => {
  expect(measuresLoopUtilization({ eventLoopUtilization: clock(0, 0), nodeTiming: { loopStart: -1 } })).toBeUndefined();
});
