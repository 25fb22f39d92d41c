import { expect, test } from 'vitest';
import { closeOnSignals } from './signals.js';

// What a signal does is tested in child processes on each runtime (test/on-runtimes.test.ts).
test('one listener per signal however many pushers register, gone with the last', () => {
  const before = ['SIGTERM', 'SIGINT'].map((signal) => process.listenerCount(signal));
  const unregister = [closeOnSignals(async () => {}), closeOnSignals(async () => {})];
  expect(['SIGTERM', 'SIGINT'].map((signal) => process.listenerCount(signal))).toEqual(before.map((count) => count + 1));
  unregister[0]!();
  expect(['SIGTERM', 'SIGINT'].map((signal) => process.listenerCount(signal))).toEqual(before.map((count) => count + 1));
  unregister[1]!();
  expect(['SIGTERM', 'SIGINT'].map((signal) => process.listenerCount(signal))).toEqual(before);
});
