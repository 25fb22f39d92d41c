// A cluster worker for the tests, over the built packages (Node 20 runs no TypeScript).
// RUNOMETER_TEST_WORKER says what it does:
//   report   a meter with a field of every type and a series, reported to the primary
//   die      reports, then exits in the middle of its render
//   silent   no meter at all; sends other libraries' messages and malformed ones of ours
//   threads  a worker thread reporting to this worker's threadsSource, which reports to the primary
//   pm2      what the README tells a PM2 user: no reportToPrimary; serves its own meter (with a
//            thread reporting to it), tagged with NODE_APP_INSTANCE, on BASE_PORT + NODE_APP_INSTANCE
//   garbage  says hello as a reporter does, then answers every ask with a malformed answer
// Test messages from the primary: { test: 'hang' } blocks the event loop for ever,
// { test: 'close' } closes the reporter and says { test: 'closed', before, after }: the process's
// message listeners before and after.
import { Runometer } from '@runometer/core';
import { Worker } from 'node:worker_threads';
import { reportToPrimary, threadsSource } from '@runometer/cluster';
import { serve } from '@runometer/server-hono';

const mode = process.env['RUNOMETER_TEST_WORKER'];
let renders = 0;

/** @param {import('@runometer/core').Runometer} meter */
function fields(meter) {
  return meter
    .addTag('app', 'test')
    .addField('renders_total', () => ++renders, { type: 'integer', kind: 'counter', help: 'Renders of this meter.' })
    .addField('ratio', () => -0, { unit: 'ratio' })
    .addField('big', () => 2n ** 60n + 1n, { type: 'integer' })
    .addField('label', () => 'say "hi", \\ there', { type: 'string' })
    .addField('up', () => true, { type: 'boolean' })
    .addSeries('queues', () => [{ tags: { queue: 'mail' }, fields: { depth: 3 } }], {
      tags: ['queue'],
      fields: { depth: { type: 'integer' } },
    });
}

if (mode === 'report') {
  const handle = reportToPrimary(fields(new Runometer('app', { timestamps: true })));
  process.on('message', (/** @type {any} */ message) => {
    if (message?.test === 'hang') for (;;);
    if (message?.test === 'close') {
      const before = process.listenerCount('message');
      handle.close();
      process.send?.({ test: 'closed', before, after: process.listenerCount('message') });
    }
  });
} else if (mode === 'die') {
  reportToPrimary(new Runometer('app').addField('dies', () => process.exit(3)));
} else if (mode === 'silent') {
  process.send?.({ cmd: 'other-library', payload: [1, 2, 3] });
  process.send?.('a plain string');
  process.send?.({ '@runometer/cluster': 2, type: 'hello' });
  process.send?.({ '@runometer/cluster': 1, type: 'answer', id: 1, reporter: 'x', firstSpec: 0, specs: 'no', snapshots: null });
  process.on('message', () => process.send?.({ '@runometer/cluster': 1, type: 'answer', id: -1 }));
} else if (mode === 'threads') {
  const thread = new Worker(new URL('thread-worker.js', import.meta.url), { workerData: 'report' });
  await new Promise((resolve) => thread.on('message', (/** @type {any} */ message) => message?.test === 'ready' && resolve(undefined)));
  thread.unref();
  process.send?.({ test: 'thread', threadId: thread.threadId });
  reportToPrimary(threadsSource(fields(new Runometer('app')), { timeout: 10_000 }));
} else if (mode === 'pm2') {
  const thread = new Worker(new URL('thread-worker.js', import.meta.url), { workerData: 'report' });
  thread.unref();
  const instance = Number(process.env['NODE_APP_INSTANCE'] ?? 0);
  const meter = new Runometer('app').addField('up', () => true, { type: 'boolean' });
  // A port per instance, as the README says: cluster workers that listen on one port share it
  // (port 0 included), and a scrape would land on any of them.
  const server = await serve(threadsSource(meter, { tags: { worker: String(instance) } }), {
    port: Number(process.env['BASE_PORT']) + instance,
  });
  process.send?.({ test: 'serving', port: server.port });
} else if (mode === 'garbage') {
  process.send?.({ '@runometer/cluster': 1, type: 'hello' });
  process.on('message', (/** @type {any} */ ask) => {
    if (ask?.type === 'discover') process.send?.({ '@runometer/cluster': 1, type: 'hello' });
    else
      process.send?.({
        '@runometer/cluster': 1,
        type: 'answer',
        id: ask?.id,
        reporter: 'r',
        firstSpec: 0,
        specs: [{ key: 'x', type: 'float', kind: 'gauge' }],
        snapshots: [['m', null, [[null, [], [0, 'NaN']]]]],
      });
  });
}
process.send?.({ test: 'ready' });
