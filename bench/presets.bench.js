// One render of the four presets against prom-client's `register.metrics()` after
// `collectDefaultMetrics()`, in the same process. Runs on Node, Bun and Deno:
// `node bench/presets.bench.js`, `bun bench/presets.bench.js`, `deno run -A bench/presets.bench.js`.
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import client from 'prom-client';
import { compare, runtimeName } from './measure.js';

const TARGET_RATIO = 10;

const meter = new Runometer('bench').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
// Let both have samples and windows to report before measuring.
await new Promise((resolve) => setTimeout(resolve, 1100));
const runometerBytes = (await meter.render()).length;
const promBytes = (await registry.metrics()).length;

const results = await compare({
  runometer: () => meter.render(),
  'prom-client': () => registry.metrics(),
});
const ours = results['runometer'];
const theirs = results['prom-client'];
console.log(
  `${runtimeName()}: four presets render in ${ours.median.toFixed(1)} µs (${runometerBytes} bytes); ` +
    `prom-client's default metrics in ${theirs.median.toFixed(1)} µs (${promBytes} bytes); ` +
    `${theirs.ratioToFirst.toFixed(1)}× faster, median of per-round ratios (target ≥ ${TARGET_RATIO}×: ${theirs.ratioToFirst >= TARGET_RATIO ? 'met' : 'MISSED'})`,
);
await meter.close();
process.exit(0);
