// A child of http.bench.js, on Node, Bun or Deno: `runometer` serves the four presets with
// server-hono; `bare` serves a bare Hono route answering a constant string of the same size.
// Prints the port once listening; when its standard input closes, prints how many renders it
// made (to tell how many requests shared each) and the CPU time it spent since it listened, in
// µs, then stops.
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve, serveApp } from '@runometer/server-hono';
import { Hono } from 'hono';

const mode = process.argv[2];
const meter = new Runometer('bench').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
let server;
let renders = 0;
if (mode === 'runometer') {
  const collect = meter.collect.bind(meter);
  meter.collect = () => {
    renders++;
    return collect();
  };
  server = await serve(meter, { port: 0 });
} else {
  // Same runtime adapter, same headers; the body is a constant of the render's size.
  const body = await meter.render();
  await meter.close();
  const bare = new Hono().get('/', (c) => c.body(body, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }));
  server = await serveApp(bare, { port: 0 });
}
const cpu = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};
const cpuAtListen = cpu();
console.log(server.port);
process.stdin.resume();
process.stdin.on('end', async () => {
  console.log(renders);
  console.log(cpu() - cpuAtListen);
  await server.close();
  process.exit(0);
});
