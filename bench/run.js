// `npm run bench` (after a build): every benchmark, one after the other, printed, never asserted.
// The render's curve, the presets' comparison with prom-client, the host's cost, the http preset's hook and the HTTP load run on Node, Bun and Deno.
// The cold start launches its own children on each of them.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launch } from '../tools/runtimes.js';

const file = (/** @type {string} */ name) => fileURLToPath(new URL(name, import.meta.url));
const run = (/** @type {[string, ...string[]]} */ [command, ...args]) => execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

console.log(`runometer benchmarks, ${process.platform}/${process.arch}\n`);
run(launch('node', file('render.bench.js')));
run(launch('bun', file('render.bench.js')));
run(launch('deno', file('render.bench.js')));
run(launch('node', file('runtime-costs.bench.js')));
run(launch('bun', file('runtime-costs.bench.js')));
run(launch('deno', file('runtime-costs.bench.js')));
run(launch('node', file('presets.bench.js')));
run(launch('bun', file('presets.bench.js')));
run(launch('deno', file('presets.bench.js')));
run(launch('node', file('cluster.bench.js')));
run(launch('node', file('host-cost.bench.js')));
run(launch('node', file('http-preset.bench.js')));
run(launch('node', file('http.bench.js')));
run(launch('node', file('cold-start.bench.js')));
