/**
 * What a runtime may offer the presets, each found by testing for the feature (never by the
 * runtime's name). A field's declaration names the capabilities it needs (`requires`), and the
 * field catalog joins the two: the one place that says which runtime measures which field.
 */
export const CAPABILITIES = {
  activeResources: 'process.getActiveResourcesInfo() lists what the event loop waits on (Bun 1.4 always answers [])',
  activeUdpSockets: 'the active resources include UDP sockets (Deno 2.9 lists TCP sockets and pipes, never UDP)',
  netSocketEvents: 'the net module announces each socket on node:diagnostics_channel (Bun 1.4 announces none)',
  loopUtilization: 'performance.eventLoopUtilization() measures the loop (Bun and Deno answer zeros)',
  heapStatistics: "v8.getHeapStatistics() reads V8's heap (Bun synthesizes it, at milliseconds a call)",
  heapSpaces: "v8.getHeapSpaceStatistics() reads V8's heap spaces (Bun synthesizes them)",
  gcProfiler: "v8.GCProfiler records each of V8's collections with its pause, in a unit we know (Node: µs, Deno: ns; Bun emulates it)",
  procSelf: '/proc/self is there to read (Linux)',
  arrayBuffersCountBuffers: 'process.memoryUsage().arrayBuffers counts Buffers and typed arrays',
  constrainedMemory: 'process.constrainedMemory() gives the cgroup memory limit',
  availableMemory: 'process.availableMemory() gives the memory the process may still take',
  libuvThreadpool: 'the loop runs on libuv, whose threadpool UV_THREADPOOL_SIZE sizes (Bun and Deno fake process.versions.uv)',
  workerEvents: "process emits 'worker' for each worker thread started (tested with a thread: never while a meter runs)",
} as const;

export type Capability = keyof typeof CAPABILITIES;
