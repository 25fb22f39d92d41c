// A child of presets.bench.js: measures scrapes in a process that holds nothing else.
// `runometer`: one render of the four presets; `prom-client`: `register.metrics()` after
// `collectDefaultMetrics()`; `both`: the two in one process, interleaved, as a service that
// moves from one to the other would run them side by side. Prints, as JSON, the per-call
// median of each in µs, the ratio (prom-client's time over ours, median of the per-round
// ratios) when both ran, and the size of each body: bytes, lines and bytes gzipped.
import { gzipSync } from 'node:zlib';
import { compare } from './measure.js';

const subject = process.argv[2];

async function runometer() {
  const { Runometer } = await import('@runometer/core');
  const { MemoryPreset } = await import('@runometer/preset-memory');
  const { SocketsPreset } = await import('@runometer/preset-sockets');
  const { ThreadsPreset } = await import('@runometer/preset-threads');
  const { OtherPreset } = await import('@runometer/preset-other');
  const meter = new Runometer('bench').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
  return () => meter.render();
}

async function promClient() {
  const { default: client } = await import('prom-client');
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return () => registry.metrics();
}

const subjects = new Map([
  ['runometer', [runometer]],
  ['prom-client', [promClient]],
  ['both', [runometer, promClient]],
]).get(subject ?? '');
if (subjects === undefined) throw new Error(`expected runometer, prom-client or both, got "${subject}"`);
const tasks = Object.fromEntries(await Promise.all(subjects.map(async (make) => [make.name, await make()])));
// Let the event-loop monitors take samples and the windows a slot before measuring.
await new Promise((resolve) => setTimeout(resolve, 1100));
/** @type {Record<string, number>} */
const bytes = {};
/** @type {Record<string, number>} */
const lines = {};
/** @type {Record<string, number>} */
const gzipped = {};
for (const [name, scrape] of Object.entries(tasks)) {
  const body = await scrape();
  bytes[name] = body.length;
  lines[name] = body.split('\n').length - 1;
  gzipped[name] = gzipSync(body).length;
}
const results = await compare(tasks, { rounds: 9, batchMs: 100 });
const medians = Object.fromEntries(Object.entries(results).map(([name, { median }]) => [name, median]));
console.log(JSON.stringify({ medians, bytes, lines, gzipped, ratio: results.promClient?.ratioToFirst }));
process.exit(0);
