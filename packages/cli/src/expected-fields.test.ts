import type { CatalogEntry } from '@runometer/core';
import { parseLines } from '@runometer/core/format';
import { expect, test } from 'vitest';
import { expectedFields } from './expected-fields.js';

const catalog: CatalogEntry[] = [
  { preset: 'p', key: 'up', type: 'integer', kind: 'gauge', requires: [] },
  { preset: 'p', key: 'wait_seconds', type: 'float', kind: 'histogram', buckets: [1], requires: [] },
];

test("a histogram is found by its _count, on its point's line", () => {
  const lines = parseLines(
    'app,runtime=bun up=1i,wait_seconds_sum=0.5,wait_seconds_count=1i\napp,le=1.0,runtime=bun wait_seconds_bucket=1i\n',
  );
  expect(expectedFields(lines, catalog).findings).toEqual([]);
  expect(expectedFields(parseLines('app,runtime=bun up=1i\n'), catalog).findings).toEqual([
    'field "wait_seconds" of preset p is missing: bun measures it',
  ]);
});
