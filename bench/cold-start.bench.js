// Cold start: from a process's start to the first body it serves, and its RSS then, for a bare
// server, prom-client's default metrics, the four presets served by server-hono, and the bare
// server with @runometer/auto preloaded (its first body is the app's: what the flag delays the
// app by, the meter's own server listening beside it), on Node, Bun and Deno. Every child (cold-start-child.js) is a fresh process; rounds interleave the three
// subjects of every runtime, in an order that alternates, so that the machine's drift touches
// them alike. The clock starts at the child's start as it reports it (`process.uptime()`'s zero,
// see the child; 10 to 20 ms after the parent spawns it, the time to exec the runtime) and stops
// when this parent has received the whole body over 127.0.0.1, on the same wall clock: the three
// subjects are answered through the same loopback and parent, so the difference is theirs. As
// the body arrives, RSS is read from /proc/<pid>/status, and the CPU time the child's main thread
// has run from /proc/<pid>/schedstat: on this shared VM a start's wall time follows what the
// other processes do (the same bare start from 95 to 315 ms), its CPU time much less. Linux only.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RUNTIMES, launch, preloadFlags, runtimeNamed } from '../tools/runtimes.js';
import { median } from './measure.js';

const ROUNDS = 9;
// `node bench/cold-start.bench.js [runtime…]`: all three unless named.
const runtimes = process.argv.length > 2 ? process.argv.slice(2).map(runtimeNamed) : RUNTIMES;
const SUBJECTS = /** @type {const} */ (['bare', 'prom-client', 'runometer', 'preloaded']);
const CHILD_TIMEOUT_MS = 30_000;
const child = fileURLToPath(new URL('./cold-start-child.js', import.meta.url));
const now = () => performance.timeOrigin + performance.now();

/** @typedef {{ ms: number, cpuMs: number, rssMiB: number }} Start */

/** The body at `port`, whole. @param {number} port @returns {Promise<string>} */
const fetchBody = (port) =>
  new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
      let body = '';
      response
        .setEncoding('utf8')
        .on('data', (chunk) => (body += chunk))
        .on('end', () => resolve(body))
        .on('error', reject);
    }).on('error', reject);
  });

/** @param {number} pid */
const mainThreadCpuMs = (pid) => Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
/** @param {number} pid */
const rssMiB = (pid) => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

/**
 * One fresh child of `subject` on `runtime`: its first body, from its start, and its RSS then.
 * @param {import('../tools/runtimes.js').Runtime} runtime
 * @param {typeof SUBJECTS[number]} subject
 * @returns {Promise<Start>}
 */
async function coldStart(runtime, subject) {
  const preloaded = subject === 'preloaded';
  const [command, ...args] = launch(runtime, child, { runtimeFlags: preloaded ? preloadFlags(runtime, '@runometer/auto') : [] });
  const env = preloaded ? { ...process.env, RUNOMETER_PORT: '0' } : process.env;
  const started = spawn(command, [...args, subject], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const timeout = setTimeout(() => started.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  try {
    for await (const line of createInterface({ input: started.stdout })) {
      const { port, startedAt } = JSON.parse(line);
      const body = await fetchBody(port);
      const ms = now() - startedAt;
      const pid = /** @type {number} */ (started.pid);
      const start = { ms, cpuMs: mainThreadCpuMs(pid), rssMiB: rssMiB(pid) };
      if (body.length === 0) throw new Error(`${runtime} ${subject}: an empty body`);
      return start;
    }
    throw new Error(`${runtime} ${subject}: exited before it listened`);
  } finally {
    clearTimeout(timeout);
    started.kill('SIGKILL');
  }
}

/** @type {Record<string, Record<string, Start[]>>} */
const starts = Object.fromEntries(runtimes.map((runtime) => [runtime, Object.fromEntries(SUBJECTS.map((subject) => [subject, []]))]));
for (let round = 0; round < ROUNDS; round++) {
  for (const runtime of runtimes) {
    for (const subject of round % 2 === 0 ? SUBJECTS : [...SUBJECTS].reverse())
      starts[runtime]?.[subject]?.push(await coldStart(runtime, subject));
  }
}

/** `median (min to max)` of `values`. @param {number[]} values @param {number} digits */
const spread = (values, digits) =>
  `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)} to ${Math.max(...values).toFixed(digits)})`;
/** Per round, `subject`'s figure over bare's of the same round. @param {Start[]} of @param {Start[]} bare @param {keyof Start} key */
const over = (of, bare, key) => of.map((start, round) => start[key] - (bare[round]?.[key] ?? NaN));

console.log(
  `cold start to the first body over 127.0.0.1, fresh processes, ${ROUNDS} interleaved rounds: median (range); wall ms, main thread's CPU ms, RSS MiB`,
);
for (const runtime of runtimes) {
  const { bare = [], 'prom-client': prom = [], runometer = [], preloaded = [] } = starts[runtime] ?? {};
  const ratio = runometer.map(
    (start, round) => (start.ms - (bare[round]?.ms ?? NaN)) / ((prom[round]?.ms ?? NaN) - (bare[round]?.ms ?? NaN)),
  );
  /** @param {Start[]} of */
  const figures = (of) =>
    `+${spread(over(of, bare, 'ms'), 0)} ms, CPU +${spread(over(of, bare, 'cpuMs'), 0)} ms, +${spread(over(of, bare, 'rssMiB'), 1)} MiB`;
  console.log(
    `${runtime}: bare ${spread(
      bare.map((s) => s.ms),
      0,
    )} ms, CPU ${spread(
      bare.map((s) => s.cpuMs),
      0,
    )} ms, ${spread(
      bare.map((s) => s.rssMiB),
      1,
    )} MiB; ` +
      `over bare, prom-client ${figures(prom)}; four presets ${figures(runometer)}; presets' time over bare ${median(ratio).toFixed(2)}× prom-client's; ` +
      `preloaded @runometer/auto (every preset) ${figures(preloaded)}`,
  );
}
