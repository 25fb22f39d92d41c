import type { RenderScope } from '@runometer/core';
import { has } from './detect.js';
import { pendingTestRequests } from './detect/libuv-threadpool.js';

/** How many of each type `types` holds, in the order first seen. */
export function countByType(types: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

function countActiveResources(): ReadonlyMap<string, number> | undefined {
  if (!has('activeResources')) return undefined;
  const counts = countByType(process.getActiveResourcesInfo());
  // The libuv test's own fs request (detect/libuv-threadpool.ts), while it is pending, is none of the app's.
  const own = pendingTestRequests();
  if (own > 0) {
    const left = (counts.get('FSReqCallback') ?? 0) - own;
    if (left > 0) counts.set('FSReqCallback', left);
    else counts.delete('FSReqCallback');
  }
  return counts;
}

/**
 * The resources the event loop waits on, counted by type (`TCPSocketWrap`, `Timeout`…), read once
 * per render for every preset that asks, so that counts on one line come from one moment;
 * undefined where the runtime does not list them.
 */
export function activeResourcesByType(render: RenderScope): ReadonlyMap<string, number> | undefined {
  return render.once(countActiveResources);
}
