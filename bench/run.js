// `npm run bench` (after a build): every benchmark, one after the other, printed, never asserted.
// The presets' comparison with prom-client, the host's cost and the HTTP load run on Node, Bun and Deno.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RUNTIMES } from './measure.js';

const file = (name) => fileURLToPath(new URL(name, import.meta.url));
const run = ([command, ...args]) => execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

console.log(`runometer benchmarks, ${process.platform}/${process.arch}\n`);
run(RUNTIMES.node(file('render.bench.js')));
run(RUNTIMES.node(file('runtime-costs.bench.js')));
run(RUNTIMES.bun(file('runtime-costs.bench.js')));
run(RUNTIMES.deno(file('runtime-costs.bench.js')));
run(RUNTIMES.node(file('presets.bench.js')));
run(RUNTIMES.bun(file('presets.bench.js')));
run(RUNTIMES.deno(file('presets.bench.js')));
run(RUNTIMES.node(file('host-cost.bench.js')));
run(RUNTIMES.node(file('http.bench.js')));
