import { expect, test } from 'vitest';
import { heapReservedByPages, readsV8Heap } from './heap-statistics.js';

test("reads V8's heap on Node: less is used than reserved", () => {
  expect(readsV8Heap()).toBe(true);
});

test("not Bun's synthesized figures, used equal to total", () => {
  expect(readsV8Heap(() => ({ used_heap_size: 814283, total_heap_size: 814283 }))).toBe(false);
});

test("process.memoryUsage() tells the same, at no cost: V8's heap figures on Node, Bun's synthesized ones (used equal to total) not", () => {
  expect(heapReservedByPages()).toBe(true);
  expect(heapReservedByPages(() => ({ heapUsed: 496640, heapTotal: 496640 }))).toBe(false);
});
