// Cold start: from a process's start to the first body it serves, its main thread's CPU time and
// its RSS then, on Node, Bun and Deno. The subjects (cold-start-child.js says how each starts):
//   `bare`         a node:http server answering a constant string: the runtime alone;
//   `prom-client`  prom-client's default metrics, rendered by a node:http server;
//   `runometer`    the library's own cold start: the four presets, imported and started by hand,
//                  served by server-hono's `serve()` (port 0, unref'd, no path, no auth);
//   `preloaded`    the same four presets, started by @runometer/auto and served by it, with the
//                  same options, on a port the parent chose, from which the parent reads the first
//                  body; the app itself does nothing but say it started. `RUNOMETER_PRESETS` names
//                  the four (this repository's node_modules holds a fifth, preset-http, which the
//                  search would find): each is resolved as the app would, and the search's listing
//                  of the `@runometer` folders is skipped.
// Both meters' first bodies are their first render, so `preloaded` − `runometer` is what the
// preload adds to the library's own start: its variables, its module, the search for presets,
// and whatever else it loads. Issue 23's target is that it adds nothing: `preloaded` ≤ `runometer`.
// Every child is a fresh process; rounds interleave the subjects of every runtime, in an order
// that alternates, so that the machine's drift touches them alike, and each figure over another
// subject is the median of the rounds' differences (paired by round), with its range. The clock
// starts at the child's start as it reports it (`process.uptime()`'s zero, see the child; 10 to
// 20 ms after the parent spawns it, the time to exec the runtime) and stops when this parent has
// received the whole body over 127.0.0.1, on the same wall clock: the subjects are answered
// through the same loopback and parent, so the difference is theirs. As the body arrives, RSS is
// read from /proc/<pid>/status, and the CPU time the child's main thread has run from
// /proc/<pid>/schedstat: on this shared VM a start's wall time follows what the other processes do
// (the same bare start from 95 to 315 ms), its CPU time much less. Linux only.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RUNTIMES, launch, preloadFlags, runtimeNamed } from '../tools/runtimes.js';
import { median, medianInterval } from './measure.js';

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

/** A port of 127.0.0.1 that was free a moment ago, for the preload to serve on. @returns {Promise<number>} */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
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
  const env = preloaded
    ? { ...process.env, RUNOMETER_PORT: String(await freePort()), RUNOMETER_PRESETS: 'memory,sockets,threads,other' }
    : process.env;
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

/** @typedef {(value: number) => string} Write */
/** @param {number} digits @returns {Write} */
const fixed = (digits) => (value) => value.toFixed(digits);
/** @param {number} digits @returns {Write} */
const signed = (digits) => (value) => `${value > 0 ? '+' : ''}${value.toFixed(digits)}`;
/** `median (min to max)` of `values`. @param {number[]} values @param {Write} write */
const spread = (values, write) => `${write(median(values))} (${write(Math.min(...values))} to ${write(Math.max(...values))})`;
/** Per round, `of`'s figure less `than`'s of the same round. @param {Start[]} of @param {Start[]} than @param {keyof Start} key */
const over = (of, than, key) => of.map((start, round) => start[key] - (than[round]?.[key] ?? NaN));
/** Rounds' differences as `median [its 95% interval] (min to max)`, and whether the median is at most zero. @param {number[]} differences */
function paired(differences) {
  const write = signed(1);
  const middle = median(differences);
  const interval = medianInterval(differences);
  const within = interval === undefined ? '' : ` [${write(interval[0])} to ${write(interval[1])}]`;
  return { text: `${write(middle)}${within} (${write(Math.min(...differences))} to ${write(Math.max(...differences))})`, met: middle <= 0 };
}

console.log(
  `cold start to the first body over 127.0.0.1, fresh processes, ${ROUNDS} interleaved rounds; wall ms, main thread's CPU ms, RSS MiB: ` +
    `bare's median (range), each other subject's the median of its rounds' differences from another's (range)`,
);
for (const runtime of runtimes) {
  const { bare = [], 'prom-client': prom = [], runometer = [], preloaded = [] } = starts[runtime] ?? {};
  const ratio = runometer.map(
    (start, round) => (start.ms - (bare[round]?.ms ?? NaN)) / ((prom[round]?.ms ?? NaN) - (bare[round]?.ms ?? NaN)),
  );
  /** @param {Start[]} of @param {Start[]} than */
  const figures = (of, than) =>
    `${spread(over(of, than, 'ms'), signed(0))} ms, CPU ${spread(over(of, than, 'cpuMs'), signed(0))} ms, ${spread(over(of, than, 'rssMiB'), signed(1))} MiB`;
  console.log(
    `${runtime}: bare ${spread(
      bare.map((start) => start.ms),
      fixed(0),
    )} ms, CPU ${spread(
      bare.map((start) => start.cpuMs),
      fixed(0),
    )} ms, ${spread(
      bare.map((start) => start.rssMiB),
      fixed(1),
    )} MiB; ` +
      `over bare, prom-client ${figures(prom, bare)}; four presets ${figures(runometer, bare)}; presets' time over bare ${median(ratio).toFixed(2)}× prom-client's; ` +
      `preloaded (the same four) ${figures(preloaded, bare)}`,
  );
  const cpu = paired(over(preloaded, runometer, 'cpuMs'));
  const wall = paired(over(preloaded, runometer, 'ms'));
  console.log(
    `${runtime}: the preload over the four presets by hand, median [95% interval] (range): CPU ${cpu.text} ms, wall ${wall.text} ms, ` +
      `RSS ${spread(over(preloaded, runometer, 'rssMiB'), signed(1))} MiB; target (preloaded ≤ runometer): CPU ${cpu.met ? 'met' : 'missed'}, wall ${wall.met ? 'met' : 'missed'}`,
  );
}
