import { expect, test } from 'vitest';
import { readsV8HeapSpaces } from './heap-spaces.js';

const spaces =
  (...used: number[]) =>
  () =>
    used.map((space_used_size) => ({ space_used_size }));

test("reads V8's heap spaces on Node: more than one holds objects", () => {
  expect(readsV8HeapSpaces()).toBe(true);
  expect(readsV8HeapSpaces(spaces(0, 652384, 3315936, 245712))).toBe(true);
});

test("not Bun's synthesized ones, everything in old_space", () => {
  expect(readsV8HeapSpaces(spaces(0, 0, 814283, 0, 0))).toBe(false);
});
