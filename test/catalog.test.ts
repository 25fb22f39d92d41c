import { CAPABILITIES } from '@runometer/runtime';
import { describe, expect, test } from 'vitest';
import { CATALOG } from '../tools/catalog.js';
import { COMMAND, generatedFiles, presetTable } from '../tools/write-catalog.js';

describe('the field catalog', () => {
  test.each(generatedFiles())('what the catalog generates in $path is up to date', ({ path, now, generated }) => {
    if (now !== generated) expect.fail(`${path} is stale: what it generates differs from the catalog; run \`${COMMAND}\``);
  });

  test('every preset field declares its unit, what it requires (known capabilities) and its help', () => {
    const incomplete = CATALOG.filter((entry) => entry.unit === undefined || entry.help === undefined).map((entry) => entry.key);
    expect(incomplete).toEqual([]);
    const unknown = CATALOG.flatMap((entry) =>
      entry.requires.filter((name) => !Object.hasOwn(CAPABILITIES, name)).map((name) => `${entry.key}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  test('every counter key ends in _total, so that Prometheus scrapes and line protocol pushed to VictoriaMetrics name it alike', () => {
    const counters = CATALOG.filter((entry) => entry.kind === 'counter');
    expect(counters.length).toBeGreaterThan(0);
    expect(counters.filter((entry) => !entry.key.endsWith('_total')).map((entry) => entry.key)).toEqual([]);
  });
});

test("a histogram's row gives its bucket bounds as le reads them", () => {
  const table = presetTable([
    { preset: 'p', key: 'wait_seconds', type: 'float', kind: 'histogram', buckets: [0.1, 1], unit: 'seconds', help: 'Wait.', requires: [] },
  ]);
  expect(table).toContain(
    '| `wait_seconds` | float | histogram, le 0.1, 1.0, +Inf: a quantile read from them is within 900% of the true value from 0.1 to 1.0 | seconds | Wait. | ✓ | ✓ | ✓ |',
  );
});
