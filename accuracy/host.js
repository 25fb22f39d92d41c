// A child of accuracy/run.js, on Node, Bun or Deno: serves the four presets on a loopback port,
// prints it, then for every line it reads on stdin performs that phase of known load and
// answers "ok" once the load is in place (or over), so that the parent can scrape.
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { detectRuntime } from '@runometer/runtime';
import { serve } from '@runometer/server-hono';
import { Buffer } from 'node:buffer';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';

const meter = new Runometer('accuracy').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
// Every scrape renders: the checks compare what each phase changed, not a body kept from before it.
const server = await serve(meter, { port: 0, minRenderInterval: 0 });
const sleep = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));
const spin = (/** @type {number} */ ms) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
/** Blocks the loop for `blockMs` every `everyMs`, for `forMs`. @param {number} blockMs @param {number} everyMs @param {number} forMs */
async function blockRepeatedly(blockMs, everyMs, forMs) {
  const end = performance.now() + forMs;
  while (performance.now() < end) {
    spin(blockMs);
    await sleep(everyMs - blockMs);
  }
}
/** @type {{ gc(force: boolean): void } | undefined} */
const bun = Reflect.get(globalThis, 'Bun');
const collectGarbage = bun ? () => bun.gc(true) : globalThis.gc;
const MiB = 1024 * 1024;

// The window of the rolling values is 10 to 11 s: a load held for 11.5 s fills it.
const WINDOW_MS = 11_500;
/**
 * What a phase keeps for a later one.
 * @type {{ memory?: unknown, server?: net.Server, accepted?: net.Socket[], clients?: net.Socket[], udp?: dgram.Socket, timers?: NodeJS.Timeout[], fds?: number[] }}
 */
const held = {};
/**
 * Collects garbage where the runtime lets us, then waits for the pages it freed to be handed back
 * (V8 unmaps them on a background thread): what a scrape then measures is what is retained.
 */
async function collect() {
  for (let i = 0; i < 3; i++) collectGarbage?.();
  await sleep(100);
}
/** Keeps what `allocate` makes until the `release` phase. @param {() => unknown} allocate */
async function retain(allocate) {
  held.memory = allocate();
  await collect();
}
/** @type {Record<string, () => Promise<unknown>>} */
const phases = {
  idle: () => sleep(WINDOW_MS),
  block20: () => blockRepeatedly(20, 250, WINDOW_MS),
  block50: () => blockRepeatedly(50, 250, WINDOW_MS),
  block200: () => blockRepeatedly(200, 1000, WINDOW_MS),
  busy25: () => blockRepeatedly(25, 100, WINDOW_MS),
  busy50: () => blockRepeatedly(50, 100, WINDOW_MS),
  busy90: () => blockRepeatedly(90, 100, WINDOW_MS),
  // Two cores: a worker thread spins the whole time while the main thread is busy half of it.
  busyTwoCores: async () => {
    const worker = new Worker(`const end = Date.now() + ${WINDOW_MS}; while (Date.now() < end);`, { eval: true });
    await Promise.all([blockRepeatedly(50, 100, WINDOW_MS), once(worker, 'exit')]);
  },
  baseline: collect,
  // Each retains 64 MiB, filled so that its pages are resident.
  retainArrayBuffer: () => retain(() => new Uint8Array(new ArrayBuffer(64 * MiB)).fill(1).buffer),
  retainBuffer: () => retain(() => Buffer.alloc(64 * MiB, 1)),
  retainUint8Array: () => retain(() => new Uint8Array(64 * MiB).fill(1)),
  // 4 Mi doubles in one preallocated array: 32 MiB of JS heap.
  retainNumbers: () =>
    retain(() => {
      const numbers = new Array(4 * MiB);
      for (let i = 0; i < numbers.length; i++) numbers[i] = i + 0.5;
      return numbers;
    }),
  release: async () => {
    held.memory = undefined;
    await collect();
  },
  openSockets: async () => {
    const server = net.createServer((socket) => (held.accepted ??= []).push(socket));
    held.server = server;
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = /** @type {net.AddressInfo} */ (server.address());
    held.clients = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const client = net.connect(port, '127.0.0.1');
        await once(client, 'connect');
        return client;
      }),
    );
    while ((held.accepted?.length ?? 0) < 5) await sleep(5);
    const udp = dgram.createSocket('udp4');
    held.udp = udp;
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
  },
  closeSockets: async () => {
    for (const socket of [...(held.clients ?? []), ...(held.accepted ?? [])]) socket.destroy();
    held.server?.close();
    held.udp?.close();
    await sleep(50);
  },
  timers: async () => {
    held.timers = [
      ...Array.from({ length: 7 }, () => setTimeout(() => {}, 600_000)),
      ...Array.from({ length: 3 }, () => setInterval(() => {}, 600_000)),
    ];
  },
  clearTimers: async () => {
    for (const timer of held.timers ?? []) clearTimeout(timer);
    await sleep(10);
  },
  openFiles: async () => {
    held.fds = Array.from({ length: 6 }, () => openSync(new URL(import.meta.url).pathname, 'r'));
  },
  closeFiles: async () => {
    for (const fd of held.fds ?? []) closeSync(fd);
  },
  gc: async () => {
    for (let i = 0; i < 5; i++) collectGarbage?.();
    // The GC profiler's records are read once a second.
    await sleep(1500);
  },
};

/**
 * Milliseconds the process's threads have spent runnable but waiting for a CPU (Linux
 * schedstat), undefined where unreadable: how far a shared machine bent the load's timing.
 */
function runQueueWaitMs() {
  let tasks;
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return undefined;
  }
  let waitNs = 0;
  for (const task of tasks) {
    try {
      waitNs += Number(readFileSync(`/proc/self/task/${task}/schedstat`, 'utf8').split(' ')[1]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return waitNs / 1e6;
}

console.log(JSON.stringify({ port: server.port, gc: collectGarbage !== undefined, runtime: detectRuntime() }));
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'stop') break;
  const [startedAt, waitedBefore] = [performance.now(), runQueueWaitMs()];
  const phase = phases[line];
  if (phase === undefined) throw new Error(`unknown phase "${line}"`);
  await phase();
  const waitedAfter = runQueueWaitMs();
  const waitMs = waitedBefore === undefined || waitedAfter === undefined ? undefined : Math.max(0, waitedAfter - waitedBefore);
  console.log(JSON.stringify({ done: line, ms: performance.now() - startedAt, waitMs }));
}
await server.close();
await meter.close();
process.exit(0);
