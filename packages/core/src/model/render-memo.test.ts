import { expect, test } from 'vitest';
import { RenderMemo } from './render-memo.js';

test('the kept state is lent to one render at a time: a render inside another gets a fresh one', () => {
  let made = 0;
  const memo = new RenderMemo(() => ({ id: ++made }));
  const seen: number[] = [];
  memo.use((outer) => {
    seen.push(outer.id);
    memo.use((inner) => seen.push(inner.id));
    memo.use((inner) => seen.push(inner.id));
  });
  memo.use((state) => seen.push(state.id));
  expect(seen).toEqual([1, 2, 3, 1]);
});

test('a render that throws gives the kept state back', () => {
  const memo = new RenderMemo(() => ({}));
  let kept: object | undefined;
  expect(() =>
    memo.use((state) => {
      kept = state;
      throw new Error('boom');
    }),
  ).toThrow('boom');
  memo.use((state) => expect(state).toBe(kept));
});
