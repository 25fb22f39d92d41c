// What monitoring costs the service it watches: the same small JSON service (host-app.js) runs
// bare, with prom-client's default metrics, with Runometer's four presets and with each preset
// alone, each in a process of its own, all started at once. autocannon (in this process) drives
// them in turn, round after round, in alternating order, so that a shared machine's drift
// touches them alike. For each: the service's own CPU time per request (its process.cpuUsage(),
// every thread) and its requests per second, each as the median of its per-round ratio to bare;
// then every process's CPU over one quiet spell in which nothing is driven.
// Targets: the four presets cost ≤ 1% CPU per request and no more than prom-client; idle ≤ 0.5%
// of a core and below prom-client's. Printed, never asserted.
// `node bench/host-cost.bench.js [runtime:workload …]`, e.g. `node bench/host-cost.bench.js bun:node-http`.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { median } from './measure.js';

const ROUNDS = 5;
const LOAD_SECONDS = 3;
const WARMUP_SECONDS = 2;
const IDLE_SECONDS = 10;
const CONNECTIONS = 10;
const TARGET_PER_REQUEST = 0.01;
const TARGET_IDLE_SHARE = 0.005;
const MONITORINGS = ['bare', 'prom-client', 'runometer', 'memory', 'sockets', 'threads', 'other'];

const app = fileURLToPath(new URL('./host-app.js', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const RUNTIMES = {
  node: [process.execPath, app],
  bun: [bin('bun'), app],
  deno: [bin('deno'), 'run', '-A', app],
};
const DEFAULT_CONFIGS = ['node:node-http', 'node:hono', 'bun:node-http', 'deno:node-http'];

/** A running service: its port, and `mark()` asks it for its CPU time and requests so far. */
async function start(runtime, workload, monitoring) {
  const [command, ...args] = RUNTIMES[runtime];
  const child = spawn(command, [...args, workload, monitoring], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${runtime} ${workload} ${monitoring}: the service ended early`);
    return JSON.parse(value);
  };
  const port = await nextLine();
  return {
    monitoring,
    port,
    mark: () => {
      child.stdin.write('mark\n');
      return nextLine();
    },
    stop: () => {
      child.stdin.end();
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

async function drive(service, seconds) {
  const result = await autocannon({ url: `http://127.0.0.1:${service.port}/`, connections: CONNECTIONS, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${service.monitoring}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
}

/** CPU µs per request and requests per second of one service over one load. */
async function measureLoad(service) {
  const before = await service.mark();
  await drive(service, LOAD_SECONDS);
  const after = await service.mark();
  const served = after.requests - before.requests;
  return { cpuPerRequest: (after.cpu - before.cpu) / served, rps: (served * 1000) / (after.at - before.at) };
}

const percent = (ratio) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;

async function run(runtime, workload) {
  const services = [];
  for (const monitoring of MONITORINGS) services.push(await start(runtime, workload, monitoring));
  try {
    for (const service of services) await drive(service, WARMUP_SECONDS);
    const loads = new Map(services.map((s) => [s, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const service of round % 2 === 0 ? services : [...services].reverse()) loads.get(service).push(await measureLoad(service));
    }
    await sleep(1000); // Let the last load's garbage be collected before the quiet spell.
    const quietStart = await Promise.all(services.map((s) => s.mark()));
    await sleep(IDLE_SECONDS * 1000);
    const quietEnd = await Promise.all(services.map((s) => s.mark()));
    const idle = services.map((_, i) => (quietEnd[i].cpu - quietStart[i].cpu) / 1000 / (quietEnd[i].at - quietStart[i].at));

    const bare = loads.get(services[0]);
    console.log(`${runtime} ${workload}: ${ROUNDS} rounds of ${LOAD_SECONDS} s at ${CONNECTIONS} connections, then ${IDLE_SECONDS} s quiet`);
    console.log(`  ${'monitoring'.padEnd(12)} ${'CPU/request'.padStart(12)} ${'vs bare'.padStart(8)} ${'req/s'.padStart(8)} ${'vs bare'.padStart(8)} ${'idle CPU'.padStart(12)}`);
    const perRequestRatio = new Map();
    services.forEach((service, i) => {
      const mine = loads.get(service);
      const cpuRatio = median(mine.map((m, round) => m.cpuPerRequest / bare[round].cpuPerRequest));
      const rpsRatio = median(mine.map((m, round) => m.rps / bare[round].rps));
      perRequestRatio.set(service.monitoring, cpuRatio);
      console.log(
        `  ${service.monitoring.padEnd(12)} ${`${median(mine.map((m) => m.cpuPerRequest)).toFixed(1)} µs`.padStart(12)} ${percent(cpuRatio).padStart(8)} ` +
          `${Math.round(median(mine.map((m) => m.rps))).toString().padStart(8)} ${percent(rpsRatio).padStart(8)} ${`${(idle[i] * 100).toFixed(2)}% core`.padStart(12)}`,
      );
    });
    const ours = perRequestRatio.get('runometer') - 1;
    const theirs = perRequestRatio.get('prom-client') - 1;
    const [ourIdle, theirIdle] = [idle[MONITORINGS.indexOf('runometer')], idle[MONITORINGS.indexOf('prom-client')]];
    const verdict = (met) => (met ? 'met' : 'MISSED');
    console.log(
      `  targets: four presets ${percent(ours + 1)} CPU per request (≤ +${TARGET_PER_REQUEST * 100}% and ≤ prom-client's ${percent(theirs + 1)}: ` +
        `${verdict(ours <= TARGET_PER_REQUEST && ours <= Math.max(theirs, 0))}); ` +
        `idle ${(ourIdle * 100).toFixed(2)}% of a core (≤ ${TARGET_IDLE_SHARE * 100}% and below prom-client's ${(theirIdle * 100).toFixed(2)}%: ` +
        `${verdict(ourIdle <= TARGET_IDLE_SHARE && ourIdle < theirIdle)})\n`,
    );
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
}

const configs = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_CONFIGS;
for (const config of configs) {
  const [runtime, workload] = config.split(':');
  if (!(runtime in RUNTIMES) || workload === undefined) throw new Error(`expected runtime:workload with a runtime of ${Object.keys(RUNTIMES).join(', ')}, got "${config}"`);
  await run(runtime, workload);
}
