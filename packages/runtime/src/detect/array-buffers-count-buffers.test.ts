import { expect, test } from 'vitest';
import { arrayBuffersCountBuffers } from './array-buffers-count-buffers.js';

test('count Buffers where a 1 MiB Buffer.alloc makes them grow by it, as on Node', () => {
  expect(arrayBuffersCountBuffers()).toBe(true);
  let counted = 0;
  expect(arrayBuffersCountBuffers(() => (counted += 1 << 20))).toBe(true);
});

test('do not where they stay still (Bun counts only new ArrayBuffer, Deno reports 0), even when asked twice', () => {
  let readings = 0;
  expect(
    arrayBuffersCountBuffers(() => {
      readings++;
      return 5000;
    }),
  ).toBe(false);
  expect(readings).toBe(4);
});
