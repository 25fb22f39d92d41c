import { expect, test } from 'vitest';
import { gcCostScale, type GcProfilerLike } from './gc-profiler.js';

/** What the test finds when a profiler records one collection of `cost` at its `rounds`th stop, the test taking `wallMs`. */
function scale(cost: number, wallMs: number, rounds = 1): number | undefined {
  let stops = 0;
  let clockReads = 0;
  const makeProfiler = (): GcProfilerLike => ({
    start() {},
    stop: () => ({ statistics: ++stops === rounds ? [{ gcType: 'Scavenge', cost }] : [] }),
  });
  return gcCostScale(makeProfiler, () => (clockReads++ === 0 ? 0 : wallMs));
}

test('costs within the wall time are microseconds, as on Node', () => {
  expect(gcCostScale()).toBe(1);
  expect(scale(1039, 4.237)).toBe(1);
});

test('costs a thousand times over it are nanoseconds, as on Deno', () => {
  expect(scale(3_564_356, 6.116)).toBe(1 / 1000);
});

test('no unit where the costs fit neither, no collection came, or there is no profiler', () => {
  expect(scale(9_000_000_000, 6)).toBeUndefined();
  expect(scale(1000, 6, 65)).toBeUndefined();
  expect(gcCostScale(null)).toBeUndefined();
});
