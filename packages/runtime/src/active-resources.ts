import type { RenderScope } from '@runometer/core';
import { has } from './detect.js';

function countActiveResources(): ReadonlyMap<string, number> | undefined {
  if (!has('activeResources')) return undefined;
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
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
