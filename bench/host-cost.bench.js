// What monitoring costs the service it watches, as its user sees it: the same small JSON service
// (host-app.js, node:http) runs twice at the same time, bare and monitored, each driven by its own
// autocannon (5 connections) over the same seconds, so that both see the same machine speed (this
// VM's drifts by ±30% from one few seconds to the next). Each round compares the CPU time per
// request of the two (read from /proc/<pid>/stat, every thread, so that measuring costs the
// services nothing); the figure is the median of the rounds' ratios, and the medians of the first
// and the last quarter of rounds show a cost that grows with the process's age, each with its 95%
// interval (medianInterval: a median whose interval holds zero is not told from noise). Each
// monitoring has its own pair, all pairs run together and take rounds in turn, so that they are
// compared over the same minutes at the same age. `control` pairs two bare services: the noise
// floor of the run. Then, every pair still running, one quiet spell gives each process's idle CPU.
// Targets (issue 18): the four presets ≤ +2% CPU per request, with no growth (last quarter ≤ first
// quarter + 1 point), and never above prom-client's defaults in the same run; idle ≤ 0.3% of a core.
// Printed, never asserted.
//   node bench/host-cost.bench.js [--soak[=seconds]] [--rounds=n] [--round-seconds=s] [--profile]
//                                 [--monitorings=a,b,…] [runtime[:workload] …]
//   runtimes: every one of tools/runtimes.js by default (each Node line, Bun, Deno); workload node-http by default
//   --soak         rounds for 300 s (or the seconds given) per monitoring; two bare twins, prom-client and the four presets by default
//   --profile      on Node, also a CPU profile of the busy service: a diagnostic of where JavaScript time goes,
//                  blind to what the runtime does natively for the monitoring (GC callbacks, hooks)
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { EVERY_RUNTIME, runtimeNamed } from '../tools/runtimes.js';
import { median, medianInterval } from './measure.js';
import { PROFILE_SECONDS, cpuSeconds, drive, percent, profileShares, share, start } from './services.js';

const CONNECTIONS = 5;
const WARMUP_SECONDS = 3;
const IDLE_SECONDS = 30;
const SETTLE_SECONDS = 2;
const DEFAULTS = { rounds: 16, roundSeconds: 4, soakSeconds: 300 };
const TARGET_PER_REQUEST = 0.02;
const TARGET_GROWTH = 0.01;
const TARGET_IDLE_SHARE = 0.003;
const MONITORINGS = ['control', 'prom-client', 'runometer', 'memory', 'sockets', 'threads', 'other'];
const SOAK_MONITORINGS = ['control', 'prom-client', 'runometer'];

/** @typedef {import('./services.js').Service} Service */

/**
 * The options of the command line.
 * @param {readonly string[]} argv
 */
export function parseArguments(argv) {
  let { rounds, roundSeconds } = DEFAULTS;
  let soak = false;
  let profile = false;
  /** @type {string[] | undefined} */
  let monitorings;
  /** @type {string[]} */
  const configs = [];
  const positive = (/** @type {string} */ name, /** @type {string} */ value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number <= 0) throw new Error(`${name} must be a positive whole number, got "${value}"`);
    return number;
  };
  for (const argument of argv) {
    const [name, value] = argument.split('=', 2);
    if (name === '--soak') {
      soak = true;
      rounds = Math.ceil((value === undefined ? DEFAULTS.soakSeconds : positive('--soak', value)) / roundSeconds);
    } else if (name === '--rounds' && value !== undefined) rounds = positive(name, value);
    else if (name === '--round-seconds' && value !== undefined) roundSeconds = positive(name, value);
    else if (name === '--monitorings' && value !== undefined) monitorings = value.split(',');
    else if (name === '--profile') profile = true;
    else if (name?.startsWith('--')) throw new Error(`unknown option "${argument}"`);
    else configs.push(argument);
  }
  return {
    rounds,
    roundSeconds,
    profile,
    monitorings: monitorings ?? (soak ? SOAK_MONITORINGS : MONITORINGS),
    configs: configs.length > 0 ? configs : EVERY_RUNTIME,
  };
}

/**
 * One round: both services driven over the same seconds (the monitored one's load started first
 * when told, so that rounds alternate); the monitored one's CPU time per request as a ratio of the
 * bare one's, and its requests per second as a ratio too.
 * @param {Service} bare @param {Service} monitored @param {number} seconds
 */
async function pairedRound(bare, monitored, seconds, monitoredFirst = false) {
  const before = [cpuSeconds(bare.pid), cpuSeconds(monitored.pid)];
  const first = drive(monitoredFirst ? monitored : bare, seconds, CONNECTIONS);
  const second = drive(monitoredFirst ? bare : monitored, seconds, CONNECTIONS);
  const [bareRequests, monitoredRequests] = await Promise.all(monitoredFirst ? [second, first] : [first, second]);
  const [bareCpu, monitoredCpu] = [cpuSeconds(bare.pid) - (before[0] ?? 0), cpuSeconds(monitored.pid) - (before[1] ?? 0)];
  return { cpu: monitoredCpu / monitoredRequests / (bareCpu / bareRequests), rps: monitoredRequests / bareRequests };
}

/** The medians of all rounds, of the first quarter and of the last. @param {readonly number[]} ratios */
export function quarters(ratios) {
  const quarter = Math.max(1, Math.floor(ratios.length / 4));
  const [first, last] = [ratios.slice(0, quarter), ratios.slice(-quarter)];
  return {
    all: median(ratios),
    first: median(first),
    last: median(last),
    intervals: { all: medianInterval(ratios), first: medianInterval(first), last: medianInterval(last) },
  };
}

const verdict = (/** @type {boolean} */ met) => (met ? 'met' : 'MISSED');
const points = (/** @type {number} */ ratio) => `${((ratio - 1) * 100).toFixed(0)}`;
/** A median's 95% interval, in points. @param {[number, number] | undefined} interval */
const within = (interval) => (interval === undefined ? '' : ` [${interval.map((ratio) => percent(ratio)).join(' … ')}]`);

/**
 * Every monitoring's pair runs from the start to the end, and rounds go from pair to pair (the
 * order turning each round), so that all pairs see the same stretch of the machine's drift and
 * reach the same age: prom-client and the four presets are compared over the same minutes.
 * @param {import('../tools/runtimes.js').Runtime} runtime
 * @param {string} workload
 * @param {ReturnType<typeof parseArguments>} options
 */
async function run(runtime, workload, { rounds, roundSeconds, monitorings, profile }) {
  /** @type {Service[]} */
  const running = [];
  /** @type {{ monitoring: string, cpu: number[], rps: number[], bare: Service, monitored: Service }[]} */
  const pairs = [];
  try {
    for (const monitoring of monitorings) {
      const bare = await start(runtime, workload, 'bare');
      const monitored = await start(runtime, workload, monitoring === 'control' ? 'bare' : monitoring);
      running.push(bare, monitored);
      pairs.push({ monitoring, cpu: [], rps: [], bare, monitored });
    }
    for (const { bare, monitored } of pairs)
      await Promise.all([drive(bare, WARMUP_SECONDS, CONNECTIONS), drive(monitored, WARMUP_SECONDS, CONNECTIONS)]);
    console.log(
      `${pairs[0]?.monitored.runtime} ${workload}: each monitoring beside a bare twin, ${rounds} rounds of ${roundSeconds} s, ${CONNECTIONS} connections each, ` +
        `the pairs' rounds interleaved over ${rounds * roundSeconds * pairs.length} s; medians with their 95% intervals`,
    );
    for (let round = 0; round < rounds; round++) {
      for (let turn = 0; turn < pairs.length; turn++) {
        const pair = /** @type {(typeof pairs)[number]} */ (pairs[(round + turn) % pairs.length]);
        const ratio = await pairedRound(pair.bare, pair.monitored, roundSeconds, round % 2 === 1);
        pair.cpu.push(ratio.cpu);
        pair.rps.push(ratio.rps);
      }
    }
    for (const { monitoring, cpu, rps } of pairs) {
      const { all, first, last, intervals } = quarters(cpu);
      console.log(
        `  ${monitoring.padEnd(12)} CPU/request ${percent(all).padStart(7)}${within(intervals.all)} (first quarter ${percent(first)}${within(intervals.first)}, ` +
          `last ${percent(last)}${within(intervals.last)}), req/s ${percent(median(rps))}; rounds ${cpu.map(points).join(' ')}`,
      );
    }
    await sleep(SETTLE_SECONDS * 1000);
    const quietStart = running.map((service) => cpuSeconds(service.pid));
    const startedAt = performance.now();
    await sleep(IDLE_SECONDS * 1000);
    const elapsed = (performance.now() - startedAt) / 1000;
    /** @param {Service} service */
    const idle = (service) => (cpuSeconds(service.pid) - (quietStart[running.indexOf(service)] ?? 0)) / elapsed;
    console.log(
      `  idle over ${IDLE_SECONDS} s, share of a core: ` +
        pairs
          .map(({ monitoring, bare, monitored }) => `${monitoring} ${share(idle(monitored))} (its bare twin ${share(idle(bare))})`)
          .join(', '),
    );
    const [ours, theirs] = [pairs.find((pair) => pair.monitoring === 'runometer'), pairs.find((pair) => pair.monitoring === 'prom-client')];
    if (ours !== undefined) {
      const { all, first, last } = quarters(ours.cpu);
      const against =
        theirs === undefined
          ? ''
          : `; prom-client ${percent(quarters(theirs.cpu).all)} (ours no more: ${verdict(all <= Math.max(quarters(theirs.cpu).all, 1))})`;
      console.log(
        `  targets: four presets ${percent(all)} CPU per request (≤ +${TARGET_PER_REQUEST * 100}%: ${verdict(all - 1 <= TARGET_PER_REQUEST)}), ` +
          `last quarter ${percent(last)} against first ${percent(first)} (no growth: ${verdict(last - first <= TARGET_GROWTH)})${against}; ` +
          `idle ${share(idle(ours.monitored))} of a core (≤ ${share(TARGET_IDLE_SHARE)}: ${verdict(idle(ours.monitored) <= TARGET_IDLE_SHARE)})`,
      );
    }
  } finally {
    await Promise.all(running.map((service) => service.stop()));
  }
  if (profile && runtime === 'node') {
    const ours = await profileShares(workload, 'runometer');
    const [bare, profiler, observer] = [
      await profileShares(workload, 'bare'),
      await profileShares(workload, 'gc-profiler'),
      await profileShares(workload, 'gc-observer'),
    ];
    console.log(
      `  profile (a diagnostic: JavaScript frames only), over ${PROFILE_SECONDS} s of load: Runometer's code and what it calls ${share(ours.monitoring)}; ` +
        `counting collections alone, v8.GCProfiler read every second ${share(profiler.monitoring)}, a PerformanceObserver of gc entries ${share(observer.monitoring)}; ` +
        `in garbage collection: ${share(profiler.gc)}, ${share(observer.gc)}, bare ${share(bare.gc)}`,
    );
  }
  console.log('');
}

// Run as a script, not when a test imports its helpers.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const options = parseArguments(process.argv.slice(2));
  for (const config of options.configs) {
    const [runtime, workload = 'node-http'] = config.split(':');
    await run(runtimeNamed(runtime), workload, options);
  }
}
