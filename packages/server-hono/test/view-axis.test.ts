// The live view's value axis (browser/axis.ts): what uPlot is handed for each chart's range, ticks and
// their labels.
import fc from '../../../test/fast-check.js';
import { describe, expect, test } from 'vitest';
import { axisRange, axisTicks, niceStep, scaleFor, tickLabels } from '../browser/axis.js';

const GiB = 1024 ** 3;
const UNITS = [undefined, 'bytes', 'seconds', 'percent', 'ratio', 'count'] as const;

/** The labels of the axis a chart whose values run from `min` to `max` gets. */
function axis(min: number, max: number, unit: string | undefined, whole = false): string[] {
  const [low, high] = axisRange(min, max, unit, whole);
  return tickLabels(axisTicks(low, high, unit, whole), unit);
}

describe('a chart of zeros', () => {
  test.each([
    ['seconds', ['0.0 s', '0.5 s', '1.0 s']],
    ['bytes', ['0 B', '1 B']],
    ['ratio', ['0 %', '50 %', '100 %']],
    ['percent', ['0.0 %', '0.5 %', '1.0 %']],
    [undefined, ['0.0', '0.5', '1.0']],
  ])('in %s spans 0 to 1 of its unit, not 0 to 100', (unit, labels) => {
    expect(axisRange(0, 0, unit)).toEqual([0, 1]);
    expect(axis(0, 0, unit)).toEqual(labels);
  });

  test('so does a chart with no value yet', () => {
    expect(axisRange(null, null, 'seconds')).toEqual([0, 1]);
    expect(axisRange(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 'seconds')).toEqual([0, 1]);
  });
});

test('an integer gauge (a count of things) gets no tick between two of them, a float one may', () => {
  expect(axis(1, 1, 'count', true)).toEqual(['0', '1', '2']);
  expect(axis(0, 0, 'count', true)).toEqual(['0', '1']);
  expect(axis(3, 4, 'count', true)).toEqual(['2', '3', '4', '5']);
  expect(axis(1, 1, 'count')).toEqual(['0.90', '0.95', '1.00', '1.05', '1.10']);
});

describe('ticks never read the same', () => {
  test('a heap of 4.038 GiB that moves by a few KiB: each tick its own label, in GiB', () => {
    const labels = axis(4.038 * GiB, 4.038 * GiB + 3000, 'bytes');
    expect(labels).toEqual(['4.038000 GiB', '4.038002 GiB', '4.038004 GiB']);
  });

  test('a value that does not move: 10 % either side, in its own scale', () => {
    expect(axis(4.038 * GiB, 4.038 * GiB, 'bytes')).toEqual(['3.8 GiB', '4.0 GiB', '4.2 GiB', '4.4 GiB']);
    expect(axis(0.002, 0.002, 'seconds')).toEqual(['1.8 ms', '1.9 ms', '2.0 ms', '2.1 ms', '2.2 ms']);
  });

  test.each([
    [0.0012, 0.0031, 'seconds', ['1 ms', '2 ms', '3 ms']],
    [0.2, 0.45, 'ratio', ['10 %', '20 %', '30 %', '40 %', '50 %']],
    [3, 17, undefined, ['0', '5', '10', '15', '20']],
    [1.2e6, 1.25e6, 'count', ['1.18M', '1.20M', '1.22M', '1.24M', '1.26M']],
    [0, 1100, 'bytes', ['0.0 KiB', '0.5 KiB', '1.0 KiB', '1.5 KiB']],
    [-5, 5, undefined, ['-10', '-5', '0', '5', '10']],
    [12, 12.0001, undefined, ['11.99995', '12.00000', '12.00005', '12.00010', '12.00015']],
  ])('%s to %s %s', (min, max, unit, labels) => {
    expect(axis(min, max, unit)).toEqual(labels);
  });

  test('for any values in any unit: at most five ticks, inside the range, each label its own, the values within it', () => {
    const value = fc.oneof(
      fc.double({ min: -1e12, max: 1e12, noNaN: true }),
      fc.double({ min: -1, max: 1, noNaN: true }),
      fc.constant(0),
      fc.double({ min: 4 * GiB, max: 4 * GiB + 4096, noNaN: true }),
    );
    fc.assert(
      fc.property(value, value, fc.constantFrom(...UNITS), fc.boolean(), (a, b, unit, whole) => {
        const [min, max] = a <= b ? [a, b] : [b, a];
        const [low, high] = axisRange(min, max, unit, whole);
        expect(low).toBeLessThanOrEqual(min);
        expect(high).toBeGreaterThanOrEqual(max);
        expect(low).toBeLessThan(high);
        const ticks = axisTicks(low, high, unit, whole);
        expect(ticks.length).toBeGreaterThanOrEqual(1);
        expect(ticks.length).toBeLessThanOrEqual(5);
        for (const tick of ticks) expect(tick >= low - Math.abs(low) * 1e-9 && tick <= high + Math.abs(high) * 1e-9).toBe(true);
        const labels = tickLabels(ticks, unit);
        expect(new Set(labels).size).toBe(new Set(ticks).size);
      }),
      { numRuns: 2000 },
    );
  });

  test('even for ticks that come from elsewhere, as close as doubles get', () => {
    // Any double a metric could be: up to 1e300, and none of the subnormals below 2.2e-308.
    const tick = fc.double({ min: -1e300, max: 1e300, noNaN: true }).filter((value) => value === 0 || Math.abs(value) >= 1e-300);
    fc.assert(
      fc.property(fc.uniqueArray(tick, { minLength: 2, maxLength: 6 }), fc.constantFrom(...UNITS), (ticks, unit) => {
        const sorted = [...ticks].sort((a, b) => a - b);
        // 0 and -0 are one tick.
        expect(new Set(tickLabels(sorted, unit)).size).toBe(new Set(sorted).size);
      }),
      { numRuns: 2000 },
    );
    expect(new Set(tickLabels([1, 1 + Number.EPSILON], undefined)).size).toBe(2);
    // Found by the property: two neighbouring doubles that are one once a ratio is scaled to %.
    expect(new Set(tickLabels([0, 9.999999999999974e299, 9.999999999999975e299], 'ratio')).size).toBe(3);
    expect(tickLabels([-0, 0.5, 1], undefined)).toEqual(['0.0', '0.5', '1.0']);
  });
});

test('scales: binary for bytes, s to ns for durations, % for shares, M to T for big numbers', () => {
  expect([
    scaleFor(4 * GiB, 'bytes'),
    scaleFor(1023, 'bytes'),
    scaleFor(0.02, 'seconds'),
    scaleFor(2e-7, 'seconds'),
    scaleFor(0.5, 'ratio'),
    scaleFor(2.5e6, undefined),
  ]).toEqual([
    { divisor: GiB, suffix: ' GiB' },
    { divisor: 1, suffix: ' B' },
    { divisor: 1e-3, suffix: ' ms' },
    { divisor: 1e-9, suffix: ' ns' },
    { divisor: 0.01, suffix: ' %' },
    { divisor: 1e6, suffix: 'M' },
  ]);
  expect([0.3, 1, 1.5, 3, 7, 0.00021].map(niceStep)).toEqual([0.5, 1, 2, 5, 10, 0.0005]);
});
