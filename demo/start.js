// `npm start`: Pharometer's "handy observability default" (memory, sockets, threads and other
// resources) rendered once and printed. The HTTP server comes with @runometer/server-hono.
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';

const meter = new Runometer('runometer_demo')
  .addTag('app', 'demo')
  .use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset)
  .addField('render_errors', () => meter.errorCount, { type: 'integer' });

// Give the event-loop sampler and the CPU window a second of samples to report.
await new Promise((resolve) => setTimeout(resolve, 1100));
process.stdout.write(await meter.render());
await meter.close();
