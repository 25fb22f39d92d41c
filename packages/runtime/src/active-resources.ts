import type { RenderScope } from '@runometer/core';
import { has } from './detect.js';

/** How many of each type `types` holds, in the order first seen. */
export function countByType(types: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

function countActiveResources(): ReadonlyMap<string, number> | undefined {
  return has('activeResources') ? countByType(process.getActiveResourcesInfo()) : undefined;
}

/**
 * The resources the event loop waits on, counted by type (`TCPSocketWrap`, `Timeout`…), read once
 * per render for every preset that asks, so that counts on one line come from one moment;
 * undefined where the runtime does not list them.
 */
export function activeResourcesByType(render: RenderScope): ReadonlyMap<string, number> | undefined {
  return render.once(countActiveResources);
}
