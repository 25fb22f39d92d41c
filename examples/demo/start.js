// `npm start`: Pharometer's "handy observability default" (memory, sockets, threads and other
// resources) served on 127.0.0.1:8890, where Telegraf's inputs.http and Prometheus can scrape it.
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve } from '@runometer/server-hono';

const meter = new Runometer('runometer_demo').addTag('app', 'demo').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
meter.addField('render_errors_total', () => meter.errorCount, { type: 'integer', kind: 'counter', help: 'Faults met while rendering.' });

// HOST=0.0.0.0 in a container (the stacks beside this folder), where other containers scrape it; loopback otherwise.
const server = await serve(meter, { port: Number(process.env.PORT ?? 8890), hostname: process.env.HOST ?? '127.0.0.1' });
console.log(
  `Runometer serves ${server.url} and ${server.url}metrics — line protocol by default; ?format=prometheus, openmetrics or json; ` +
    `a browser gets the live view (${server.url}view). Ctrl-C stops it.`,
);

// close() ends within its grace period (5 s) even with a client stuck mid-request; a second
// Ctrl-C, with the handlers gone, stops the process at once.
const stop = async (/** @type {NodeJS.Signals} */ signal) => {
  console.log(`${signal}: stopping`);
  try {
    await server.close();
    await meter.close();
    process.exit(0);
  } catch (error) {
    console.error('runometer: could not stop cleanly', error);
    process.exit(1);
  }
};
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, stop);
