// Load on a served meter (GET of the line protocol) against a bare Hono route answering a
// constant string of the same size, through the same runtime adapter, on Node, Bun and Deno.
// autocannon runs in this Node process; each server in a child of its own, alternating.
// Target: at least 80% of the bare route's throughput. On a shared machine requests per second
// follow whatever else runs; the server's own CPU time per request does much less, so both are
// printed: the share of requests per second, and the share the CPU cost allows (bare ÷ served).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RUNTIMES, launch } from '../tools/runtimes.js';
import { RUNTIME_LABELS, median } from './measure.js';

const ROUNDS = 3;
const SECONDS = 4;
const TARGET = 0.8;
const server = fileURLToPath(new URL('./http-server.js', import.meta.url));

/**
 * @param {import('../tools/runtimes.js').Runtime} runtime
 * @param {'runometer' | 'bare'} mode
 */
async function load(runtime, mode) {
  const [command, ...args] = launch(runtime, server);
  const child = spawn(command, [...args, mode], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${runtime} ${mode} server ended early`);
    return Number(value);
  };
  const port = await nextLine();
  const result = await autocannon({ url: `http://127.0.0.1:${port}/`, connections: 10, duration: SECONDS });
  child.stdin.end();
  const renders = await nextLine();
  const cpuMicros = await nextLine();
  await new Promise((resolve) => child.once('exit', resolve));
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${runtime} ${mode}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    cpuPerRequest: cpuMicros / result.requests.total,
    requests: result.requests.total,
    renders,
  };
}

for (const runtime of RUNTIMES) {
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) rounds.push({ ours: await load(runtime, 'runometer'), bare: await load(runtime, 'bare') });
  const [ours, bare] = [rounds.map((r) => r.ours), rounds.map((r) => r.bare)];
  const share = median(rounds.map((r) => r.ours.rps / r.bare.rps));
  const cpuShare = median(rounds.map((r) => r.bare.cpuPerRequest / r.ours.cpuPerRequest));
  const cpu = (/** @type {typeof ours} */ runs) => median(runs.map((r) => r.cpuPerRequest)).toFixed(1);
  console.log(
    `${RUNTIME_LABELS[runtime]}: served meter ${Math.round(median(ours.map((o) => o.rps)))} req/s, ${cpu(ours)} µs CPU per request, p99 ${median(ours.map((o) => o.p99))} ms, ` +
      `${Math.round(median(ours.map((o) => o.requests / o.renders)))} requests per render; ` +
      `bare Hono route ${Math.round(median(bare.map((b) => b.rps)))} req/s, ${cpu(bare)} µs CPU per request, p99 ${median(bare.map((b) => b.p99))} ms; ` +
      `${Math.round(share * 100)}% of its requests per second, ${Math.round(cpuShare * 100)}% by CPU per request, ` +
      `medians of ${ROUNDS} rounds of ${SECONDS} s (target ≥ ${TARGET * 100}%: ${share >= TARGET ? 'met' : 'MISSED'})`,
  );
}
