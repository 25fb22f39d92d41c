import { expect, test } from 'vitest';
import { RollingWindow } from './rolling-window.js';

test('keeps the last `capacity` snapshots and gives the oldest', () => {
  const window = new RollingWindow<number>(3);
  expect(window.oldest).toBeUndefined();
  window.push(1);
  expect(window.oldest).toBe(1);
  window.push(2);
  window.push(3);
  expect(window.oldest).toBe(1);
  window.push(4);
  expect(window.oldest).toBe(2);
  window.clear();
  expect(window.oldest).toBeUndefined();
});

test('refuses a capacity that is not a positive integer', () => {
  expect(() => new RollingWindow(0)).toThrow(new RangeError('capacity must be a positive integer, got 0'));
  expect(() => new RollingWindow(1.5)).toThrow(new RangeError('capacity must be a positive integer, got 1.5'));
});
