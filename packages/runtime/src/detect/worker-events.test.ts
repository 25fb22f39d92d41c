import { expect, test } from 'vitest';
import { emitsWorkerEvents } from './worker-events.js';

test("process emits 'worker' on Node, and the test leaves no listener behind", async () => {
  const listeners = process.listenerCount('worker');
  expect(await emitsWorkerEvents()).toBe(true);
  expect(process.listenerCount('worker')).toBe(listeners);
});
