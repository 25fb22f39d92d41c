// The fleet's instance with a worker thread: the main thread serves the demo's meter (the four
// presets) through @runometer/cluster's threadsSource on 127.0.0.1:PORT; one worker thread, with a
// meter of its own, reports with reportToParent.
// Usage: node e2e/fleet-threads.js PORT MEASUREMENT APP
import { isMainThread, Worker } from 'node:worker_threads';
import { reportToParent, threadsSource } from '@runometer/cluster';
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve } from '@runometer/server-hono';

const [port, measurement, app] = process.argv.slice(2);
if (!/^\d+$/.test(port ?? '') || !measurement || !app) {
  throw new Error(`usage: fleet-threads.js PORT MEASUREMENT APP (got ${JSON.stringify(process.argv.slice(2))})`);
}

const meter = new Runometer(measurement).addTag('app', app).use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);

if (isMainThread) {
  const source = threadsSource(meter);
  const worker = new Worker(new URL(import.meta.url), { argv: process.argv.slice(2) });
  const server = await serve(source, { port: Number(port) });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, async () => {
      await server.close();
      source.close();
      await worker.terminate();
      await meter.close();
      process.exit(0);
    });
  }
} else {
  reportToParent(meter);
  // The thread's work, which keeps it alive (the reporter does not).
  let work = 0;
  setInterval(() => {
    work = (work + JSON.stringify({ at: Date.now() }).length) % 1e9;
  }, 100);
}
