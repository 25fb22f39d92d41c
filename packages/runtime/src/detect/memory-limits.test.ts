import { expect, test } from 'vitest';
import { hasAvailableMemory } from './available-memory.js';
import { hasConstrainedMemory } from './constrained-memory.js';

test('Node 20.20 has both memory limits', () => {
  expect([hasConstrainedMemory(), hasAvailableMemory()]).toEqual([true, true]);
});

test('a runtime without the functions has neither', () => {
  expect([hasConstrainedMemory({}), hasAvailableMemory({ availableMemory: 1 })]).toEqual([false, false]);
});
