import { expect, test } from 'vitest';
import { activeResourcesByType } from '../active-resources-by-type.js';
import { pendingTestRequests, runsOnLibuv } from './libuv-threadpool.js';

test("Node lists a pending fs request as libuv's FSReqCallback", () => {
  expect(runsOnLibuv()).toBe(true);
});

test('not Bun (no active resource ever), nor Deno (none for a file request), nor a runtime without the list or that refuses the request', () => {
  const request = (done: () => void) => queueMicrotask(done);
  expect(runsOnLibuv(() => [], request)).toBe(false);
  expect(runsOnLibuv(() => ['TCPWrap', 'Timeout'], request)).toBe(false);
  expect(runsOnLibuv(null, request)).toBe(false);
  expect(
    runsOnLibuv(
      () => ['FSReqCallback'],
      () => {
        throw new Error('Requires read access');
      },
    ),
  ).toBe(false);
});

test("the test's own request is in no count of active resources, while it is pending and after", async () => {
  const once = { once: <T>(read: () => T) => read() };
  const counted = () => activeResourcesByType(once)?.get('FSReqCallback') ?? 0;
  const listed = () => process.getActiveResourcesInfo().filter((type) => type === 'FSReqCallback').length;
  const before = counted();
  expect(runsOnLibuv()).toBe(true);
  expect(pendingTestRequests()).toBeGreaterThan(0);
  expect(listed()).toBe(before + pendingTestRequests());
  expect(counted()).toBe(before);
  // The threadpool answers when it gets a CPU: on a loaded machine, after many turns of the loop.
  for (const giveUpAt = Date.now() + 10_000; pendingTestRequests() > 0 && Date.now() < giveUpAt; )
    await new Promise((resolve) => setTimeout(resolve, 5));
  expect(pendingTestRequests()).toBe(0);
  // Whatever fs requests the test runner has in flight now are all counted.
  expect(counted()).toBe(listed());
});
