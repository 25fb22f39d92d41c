import { expect, test } from 'vitest';
import { RUNTIME_GROUPS, groupAnswer } from './catalog.js';

test("the known runtimes by runtime: Node's lines in one, then Bun and Deno", () => {
  expect(RUNTIME_GROUPS).toEqual([
    { title: 'Node', members: ['node20', 'node22', 'node24', 'node26'] },
    { title: 'Bun', members: ['bun'] },
    { title: 'Deno', members: ['deno'] },
  ]);
});

test("one answer where a runtime's lines agree, else each answer with the lines that give it", () => {
  const nodes = /** @type {const} */ (['node20', 'node22', 'node24', 'node26']);
  expect(groupAnswer(nodes, () => '✓')).toBe('✓');
  expect(groupAnswer(nodes, (runtime) => (runtime === 'node20' ? '— ¹' : '✓'))).toBe('— ¹ on 20; ✓ on 22, 24, 26');
  expect(groupAnswer(['bun'], () => '—')).toBe('—');
});
