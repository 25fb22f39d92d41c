import v8 from 'node:v8';
import type { Capability } from './capabilities.js';
import { listsActiveResources } from './detect/active-resources.js';
import { listsUdpSockets } from './detect/active-udp-sockets.js';
import { arrayBuffersCountBuffers } from './detect/array-buffers-count-buffers.js';
import { hasAvailableMemory } from './detect/available-memory.js';
import { hasConstrainedMemory } from './detect/constrained-memory.js';
import { gcCostScale, type GcProfilerLike } from './detect/gc-profiler.js';
import { readsV8HeapSpaces } from './detect/heap-spaces.js';
import { heapReservedByPages, readsV8Heap } from './detect/heap-statistics.js';
import { runsOnLibuv } from './detect/libuv-threadpool.js';
import { measuresLoopUtilization } from './detect/loop-utilization.js';
import { announcesNetSockets } from './detect/net-socket-events.js';
import { hasProcSelf } from './detect/proc-self.js';
import { emitsWorkerEvents } from './detect/worker-events.js';

/** The capabilities tested while a meter runs: each test is cheap, synchronous and cleans up after itself. */
export type InstantCapability = Exclude<Capability, 'workerEvents'>;

let gcScale: { readonly value: number | undefined } | undefined;

/**
 * V8's GC profiler where the heap is V8's (Node, Deno); undefined where there is none, or where it
 * is an emulation over another engine (Bun's, over JavaScriptCore, whose heap spaces are not V8's).
 * Cheap: what its records' unit is, `gcCostMicroseconds()` finds, by a test that allocates.
 */
export function v8GcProfiler(): (new () => GcProfilerLike) | undefined {
  if (typeof v8.GCProfiler !== 'function') return undefined;
  // A faked runtime (fakeRuntime) says whether it has the profiler.
  return (assumed === undefined ? has('heapSpaces') : assumed.gcProfiler) ? v8.GCProfiler : undefined;
}

/**
 * Microseconds per unit of a `v8.GCProfiler` record's `cost` (see `gcCostScale`), found once, by
 * allocating until a collection (a few milliseconds: ask it only where the profiler's records are
 * used); undefined without V8's profiler, or where its unit cannot be told.
 */
export function gcCostMicroseconds(): number | undefined {
  if (v8GcProfiler() === undefined) return undefined;
  return (gcScale ??= { value: gcCostScale() }).value;
}

// Undefined: no answer yet (the loop has not started), ask again later.
const TESTS: Readonly<Record<InstantCapability, () => boolean | undefined>> = {
  activeResources: listsActiveResources,
  activeUdpSockets: () => has('activeResources') && listsUdpSockets(),
  netSocketEvents: () => announcesNetSockets(),
  loopUtilization: () => measuresLoopUtilization(),
  // Bun's heap figures are synthesized: process.memoryUsage() says so at no cost, where v8's heap
  // functions, asked to tell, would cost it milliseconds each (bench/runtime-costs.bench.js on Bun:
  // `v8.getHeapStatistics()`, `v8.getHeapSpaceStatistics()`).
  heapStatistics: () => heapReservedByPages() && readsV8Heap(),
  heapSpaces: () => has('heapStatistics') && readsV8HeapSpaces(),
  // Bun emulates the profiler over JavaScriptCore: its records are not V8's collections. Without
  // V8's heap spaces (Bun) the collections the scale allocates for are spared (what the test costs
  // where it runs: its `gcProfiler` line in bench/runtime-costs.bench.js).
  gcProfiler: () => gcCostMicroseconds() !== undefined,
  procSelf: () => hasProcSelf(),
  arrayBuffersCountBuffers: () => arrayBuffersCountBuffers(),
  constrainedMemory: () => hasConstrainedMemory(),
  availableMemory: () => hasAvailableMemory(),
  // Where no active resource is listed (Bun), the test's fs request would tell nothing, and it would start Bun's fs threads.
  libuvThreadpool: () => has('activeResources') && runsOnLibuv(),
};

const answers = new Map<Capability, boolean>();
// Set by `fakeRuntime` (`@runometer/runtime/testing`): the answers of another runtime, in place of detection.
let assumed: Readonly<Record<Capability, boolean>> | undefined;

/** Makes `has` and `detectCapabilities` answer from `capabilities` instead of detecting (undefined: detect again); returns what it replaced. */
export function assumeCapabilities(
  capabilities: Readonly<Record<Capability, boolean>> | undefined,
): Readonly<Record<Capability, boolean>> | undefined {
  const replaced = assumed;
  assumed = capabilities;
  return replaced;
}

/**
 * Whether this runtime offers `capability`, tested by feature the first time it is asked, and
 * remembered for the process' life.
 */
export function has(capability: InstantCapability): boolean {
  if (assumed !== undefined) return assumed[capability];
  let answer = answers.get(capability);
  if (answer === undefined) {
    answer = TESTS[capability]();
    if (answer === undefined) return false;
    answers.set(capability, answer);
  }
  return answer;
}

/**
 * Records that this runtime offers `capability`, as something seen in use proves it (a socket the
 * net module announced on its channel proves `netSocketEvents`): `has` then answers true without
 * running the test. A faked runtime's answers (fakeRuntime) still come first.
 */
export function markOffered(capability: InstantCapability): void {
  answers.set(capability, true);
}

/** Every capability of this runtime, those too costly to test while a meter runs included. */
export async function detectCapabilities(): Promise<Record<Capability, boolean>> {
  if (assumed !== undefined) return { ...assumed };
  // loopUtilization has no answer until the event loop has started, and since Node 22 a module's
  // top level (`await detectCapabilities()` in a script) runs before it has: let it turn once.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const instant = Object.fromEntries(Object.keys(TESTS).map((capability) => [capability, has(capability as InstantCapability)]));
  return { ...(instant as Record<InstantCapability, boolean>), workerEvents: await emitsWorkerEvents() };
}
