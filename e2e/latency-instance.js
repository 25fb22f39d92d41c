// One instance of the latency truth test (e2e/latency-truth.e2e.test.ts): the four presets and
// preset-http served by server-hono on 127.0.0.1:PORT, its HttpRecorder fed directly, every
// BATCH_MS, with one batch of the requests of PROFILE (e2e/latency-profiles.js) on a clock that
// jumps by each one's duration: a real server sleeping 400 ms would only make the test slow.
// Usage: node e2e/latency-instance.js PORT MEASUREMENT APP PROFILE
import { container, Runometer } from '@runometer/core';
import { HttpPreset, HttpRecorder } from '@runometer/preset-http';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve } from '@runometer/server-hono';
import { BATCH_MS, batchFeeder, PROFILES } from './latency-profiles.js';

const [port, measurement, app, profile] = process.argv.slice(2);
const batch = PROFILES[profile ?? ''];
if (!/^\d+$/.test(port ?? '') || !measurement || !app || batch === undefined) {
  throw new Error(
    `usage: latency-instance.js PORT MEASUREMENT APP PROFILE, PROFILE one of ${Object.keys(PROFILES).join(', ')} (got ${JSON.stringify(process.argv.slice(2))})`,
  );
}

const serveBatch = batchFeeder(container.resolve(HttpRecorder), batch);

const meter = new Runometer(measurement).addTag('app', app).use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset, HttpPreset);
const server = await serve(meter, { port: Number(port) });
serveBatch();
const timer = setInterval(serveBatch, BATCH_MS);

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, async () => {
    clearInterval(timer);
    await server.close();
    await meter.close();
    process.exit(0);
  });
}
