// `npm run bench` (after a build): every benchmark, one after the other, printed, never asserted.
// The presets' comparison with prom-client, the host's cost and the HTTP load run on Node, Bun and Deno.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const file = (name) => fileURLToPath(new URL(name, import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const run = (command, args) => execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });

console.log(`runometer benchmarks, ${process.platform}/${process.arch}\n`);
run(process.execPath, [file('render.bench.js')]);
run(process.execPath, [file('runtime-costs.bench.js')]);
run(bin('bun'), [file('runtime-costs.bench.js')]);
run(bin('deno'), ['run', '-A', file('runtime-costs.bench.js')]);
run(process.execPath, [file('presets.bench.js')]);
run(bin('bun'), [file('presets.bench.js')]);
run(bin('deno'), ['run', '-A', file('presets.bench.js')]);
run(process.execPath, [file('host-cost.bench.js')]);
run(process.execPath, [file('http.bench.js')]);
