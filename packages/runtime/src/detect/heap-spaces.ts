import v8 from 'node:v8';

/**
 * Whether `v8.getHeapSpaceStatistics()` reads V8's heap spaces: V8 always has objects in more than
 * one (old space, code space, new space…). Bun synthesizes its spaces and puts everything in old_space.
 */
export function readsV8HeapSpaces(read: () => Pick<v8.HeapSpaceInfo, 'space_used_size'>[] = v8.getHeapSpaceStatistics): boolean {
  return read().filter((space) => space.space_used_size > 0).length > 1;
}
