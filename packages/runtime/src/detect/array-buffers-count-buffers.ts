const TEST_ALLOCATION_BYTES = 1 << 20;

/**
 * Whether `process.memoryUsage().arrayBuffers` counts what `Buffer.alloc` takes, tested by
 * allocating 1 MiB: Node counts it; Bun has counted `new ArrayBuffer(n)` but neither Buffers nor
 * typed arrays; Deno reports 0 (known-runtimes.ts: what the versions last checked do). Twice, in case a collection freed other buffers between the two readings.
 */
export function arrayBuffersCountBuffers(readArrayBuffers: () => number = () => process.memoryUsage().arrayBuffers): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    const before = readArrayBuffers();
    const buffer = Buffer.alloc(TEST_ALLOCATION_BYTES);
    const grown = readArrayBuffers() - before;
    // Reading `buffer` after the second reading keeps it alive until then.
    if (grown >= TEST_ALLOCATION_BYTES / 2 && buffer.length > 0) return true;
  }
  return false;
}
