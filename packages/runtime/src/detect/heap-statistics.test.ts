import { expect, test } from 'vitest';
import { readsV8Heap } from './heap-statistics.js';

test("reads V8's heap on Node: less is used than reserved", () => {
  expect(readsV8Heap()).toBe(true);
});

test("not Bun's synthesized figures, used equal to total", () => {
  expect(readsV8Heap(() => ({ used_heap_size: 814283, total_heap_size: 814283 }))).toBe(false);
});
