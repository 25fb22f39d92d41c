// `npm run bench` (after a build): every benchmark, one after the other, printed, never asserted.
// The render's curve, the runtime's costs and the presets' comparison with prom-client run on each
// of RUNTIMES (tools/runtimes.js); the host's cost, the http preset's hook, the HTTP load and the
// cold start launch their own children on each runtime, the heap's on each Node line.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launch, RUNTIMES } from '../tools/runtimes.js';

const file = (/** @type {string} */ name) => fileURLToPath(new URL(name, import.meta.url));
const run = (/** @type {[string, ...string[]]} */ [command, ...args]) =>
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

console.log(`runometer benchmarks, ${process.platform}/${process.arch}\n`);
for (const bench of ['render', 'runtime-costs', 'presets', 'otlp']) {
  for (const runtime of RUNTIMES) run(launch(runtime, file(`${bench}.bench.js`)));
}
run(launch('node', file('cluster.bench.js')));
run(launch('node', file('host-cost.bench.js')));
run(launch('node', file('heap.bench.js')));
run(launch('node', file('http-preset.bench.js')));
run(launch('node', file('http.bench.js')));
run(launch('node', file('cold-start.bench.js')));
