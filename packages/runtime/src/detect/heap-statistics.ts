import v8 from 'node:v8';

/**
 * Whether `v8.getHeapStatistics()` reads V8's heap: V8 reserves its heap by pages, so what is used
 * stays below what is reserved. Bun synthesizes the figures from JavaScriptCore's, with the used
 * size equal to the total (and milliseconds a call).
 */
export function readsV8Heap(read: () => Pick<v8.HeapInfo, 'used_heap_size' | 'total_heap_size'> = v8.getHeapStatistics): boolean {
  const { used_heap_size, total_heap_size } = read();
  return used_heap_size < total_heap_size;
}

/**
 * The same test of `process.memoryUsage()`'s heap figures, which cost nothing anywhere: where they
 * are synthesized too (Bun: used equal to total), v8's heap functions are not asked, which cost Bun
 * milliseconds each (bench/runtime-costs.bench.js on Bun prints them).
 */
export function heapReservedByPages(
  usage: () => Pick<NodeJS.MemoryUsage, 'heapUsed' | 'heapTotal'> = () => process.memoryUsage(),
): boolean {
  const { heapUsed, heapTotal } = usage();
  return heapUsed < heapTotal;
}
