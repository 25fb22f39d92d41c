import { expect, test } from 'vitest';
import { runsOnLibuv } from './libuv-threadpool.js';

test("Node's report lists its libuv handles", () => {
  expect(runsOnLibuv()).toBe(true);
});

test("not Bun's (an empty list), nor Deno's (no such section), nor a runtime without reports", () => {
  expect(runsOnLibuv(() => ({ libuv: [] }))).toBe(false);
  expect(runsOnLibuv(() => ({}))).toBe(false);
  expect(runsOnLibuv(() => undefined)).toBe(false);
  expect(
    runsOnLibuv(() => {
      throw new Error('Requires env access');
    }),
  ).toBe(false);
});
