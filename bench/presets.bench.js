// One render of the four presets against prom-client's `register.metrics()` after
// `collectDefaultMetrics()`, each in a process of its own (in one process, prom-client's GC
// observer would tax every collection that the other's allocations cause), alternating
// round after round on the runtime that runs this file:
// `node bench/presets.bench.js`, `bun bench/presets.bench.js`, `deno run -A bench/presets.bench.js`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, runtimeName } from './measure.js';

const TARGET_RATIO = 10;
const ROUNDS = 5;
const child = fileURLToPath(new URL('./scrape.js', import.meta.url));
const command = globalThis.Deno ? [process.execPath, 'run', '-A', child] : [process.execPath, child];
const measure = (subject) => JSON.parse(execFileSync(command[0], [...command.slice(1), subject], { encoding: 'utf8' }));

const ours = [];
const theirs = [];
for (let round = 0; round < ROUNDS; round++) {
  ours.push(measure('runometer'));
  theirs.push(measure('prom-client'));
}
const ratios = ours.map((o, round) => theirs[round].median / o.median);
const ratio = median(ratios);
console.log(
  `${runtimeName()}: four presets render in ${median(ours.map((o) => o.median)).toFixed(1)} µs (${ours[0].bytes} bytes); ` +
    `prom-client's default metrics in ${median(theirs.map((t) => t.median)).toFixed(1)} µs (${theirs[0].bytes} bytes); ` +
    `${ratio.toFixed(1)}× faster, median of ${ROUNDS} rounds (target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? 'met' : 'MISSED'})`,
);
