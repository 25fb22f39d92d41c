// One render of the four presets against prom-client's `register.metrics()` after
// `collectDefaultMetrics()`, on the runtime that runs this file:
// `node bench/presets.bench.js`, `bun bench/presets.bench.js`, `deno run -A bench/presets.bench.js`.
// First each in a process of its own, alternating round after round (in one process,
// prom-client's GC observer taxes every collection that the other's allocations cause); then
// both in one process, interleaved, as a service moving from one to the other runs them.
// Last, the size of server-hono's live view of the four presets (the page, its uPlot and the
// catalog of their fields), which must stay under 100 KB gzipped.
import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { currentRuntime, launch } from '../tools/runtimes.js';
import { median, runtimeName } from './measure.js';

const TARGET_RATIO = 10;
const ROUNDS = 5;
const child = fileURLToPath(new URL('./scrape.js', import.meta.url));
const [command, ...args] = launch(currentRuntime(), child);
/** @typedef {{ runometer: number, promClient: number }} Both */
/** @typedef {{ medians: Both, bytes: Both, lines: Both, gzipped: Both, ratio: number }} Scrape what scrape.js prints */
/** @returns {Scrape} */
const measure = (/** @type {string} */ subject) => JSON.parse(execFileSync(command, [...args, subject], { encoding: 'utf8' }));
const verdict = (/** @type {number} */ ratio) => `target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'}`;

const rounds = [];
for (let round = 0; round < ROUNDS; round++)
  rounds.push({ ours: measure('runometer'), theirs: measure('prom-client'), together: measure('both') });
const [ours, theirs, together] = [rounds.map((r) => r.ours), rounds.map((r) => r.theirs), rounds.map((r) => r.together)];
const apart = median(rounds.map((r) => r.theirs.medians.promClient / r.ours.medians.runometer));
console.log(
  `${runtimeName()}: four presets render in ${median(ours.map((o) => o.medians.runometer)).toFixed(1)} µs (${median(ours.map((o) => o.bytes.runometer))} bytes in ${median(ours.map((o) => o.lines.runometer))} lines, ${median(ours.map((o) => o.gzipped.runometer))} gzipped); ` +
    `prom-client's default metrics in ${median(theirs.map((t) => t.medians.promClient)).toFixed(1)} µs (${median(theirs.map((t) => t.bytes.promClient))} bytes); ` +
    `${apart.toFixed(1)}× faster, each in its own process, median of ${ROUNDS} rounds (${verdict(apart)})`,
);
const side = median(together.map((t) => t.ratio));
console.log(
  `${runtimeName()}: in one process, ${median(together.map((t) => t.medians.runometer)).toFixed(1)} µs against ` +
    `${median(together.map((t) => t.medians.promClient)).toFixed(1)} µs: ${side.toFixed(1)}× faster, median of ${ROUNDS} processes (${verdict(side)})`,
);

const { Runometer } = await import('@runometer/core');
const { MemoryPreset } = await import('@runometer/preset-memory');
const { SocketsPreset } = await import('@runometer/preset-sockets');
const { ThreadsPreset } = await import('@runometer/preset-threads');
const { OtherPreset } = await import('@runometer/preset-other');
const { createApp } = await import('@runometer/server-hono');
const meter = new Runometer('bench').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
const page = new Uint8Array(await (await createApp(meter).request('/view')).arrayBuffer());
await meter.close();
const kb = (/** @type {number} */ bytes) => `${(bytes / 1000).toFixed(1)} KB`;
const gzipped = gzipSync(page).byteLength;
console.log(
  `${runtimeName()}: the live view of the four presets is ${kb(page.byteLength)}, ${kb(gzipped)} gzipped (target < 100 KB: ${gzipped < 100_000 ? 'met' : 'MISSED'})`,
);
