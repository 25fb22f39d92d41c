// One instance of the fleet the dashboards are tested against: the demo's meter (`npm start`),
// the four presets served by server-hono on 127.0.0.1:PORT, with its own `app` tag. Plain
// JavaScript over the built packages, so that Node, Bun and Deno run the same file.
// Usage: <runtime> e2e/fleet-instance.js PORT MEASUREMENT APP
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve } from '@runometer/server-hono';

const [port, measurement, app] = process.argv.slice(2);
if (!/^\d+$/.test(port ?? '') || !measurement || !app) {
  throw new Error(`usage: fleet-instance.js PORT MEASUREMENT APP (got ${JSON.stringify(process.argv.slice(2))})`);
}

const meter = new Runometer(measurement).addTag('app', app).use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
const server = await serve(meter, { port: Number(port) });

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, async () => {
    await server.close();
    await meter.close();
    process.exit(0);
  });
}
