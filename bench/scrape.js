// A child of presets.bench.js: measures one scrape in a process that holds nothing else.
// `runometer`: one render of the four presets; `prom-client`: `register.metrics()` after
// `collectDefaultMetrics()`. Prints the per-call median in µs and the body's size, as JSON.
import { compare } from './measure.js';

const subject = process.argv[2];

async function scrapeOf(name) {
  if (name === 'runometer') {
    const { Runometer } = await import('@runometer/core');
    const { MemoryPreset } = await import('@runometer/preset-memory');
    const { SocketsPreset } = await import('@runometer/preset-sockets');
    const { ThreadsPreset } = await import('@runometer/preset-threads');
    const { OtherPreset } = await import('@runometer/preset-other');
    const meter = new Runometer('bench').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
    return () => meter.render();
  }
  const { default: client } = await import('prom-client');
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  return () => registry.metrics();
}

const scrape = await scrapeOf(subject);
// Let the event-loop monitors take samples and the windows a slot before measuring.
await new Promise((resolve) => setTimeout(resolve, 1100));
const bytes = (await scrape()).length;
const { task } = await compare({ task: scrape }, { rounds: 9, batchMs: 100 });
console.log(JSON.stringify({ median: task.median, bytes }));
process.exit(0);
