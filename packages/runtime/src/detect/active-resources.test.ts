import { expect, test } from 'vitest';
import { listsActiveResources } from './active-resources.js';

test('lists the active resources where a timer set for the test is listed, as on Node', () => {
  expect(listsActiveResources()).toBe(true);
});

test('does not where the function is missing, or always answers [] (Bun)', () => {
  expect(listsActiveResources({})).toBe(false);
  expect(listsActiveResources({ getActiveResourcesInfo: () => [] })).toBe(false);
});

test('leaves no timer behind', () => {
  const before = process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
  listsActiveResources();
  expect(process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length).toBe(before);
});
