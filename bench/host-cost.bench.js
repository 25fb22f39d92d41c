// What monitoring costs the service it watches: the same small JSON service (host-app.js) runs
// bare, with prom-client's default metrics, with Runometer's four presets and with each preset
// alone, each in a process of its own, all started at once. autocannon (in this process) drives
// them in rounds, each service together with one more bare process, the reference, over the same
// seconds: this VM's speed drifts by ±30% from one few seconds to the next, and the ratio of the
// two CPU times per request (each one's own process.cpuUsage(), every thread) is free of that.
//   vs bare: a service's ratio over the bare service's in the same round, median over rounds.
//     Two identical processes differ by up to ±4% this way (the `control` line, bare too).
//   on vs off: a Runometer service is also measured with its meter closed, in the same round:
//     the same process with and without the presets, free of the differences between processes.
// Then every process's CPU over one quiet spell in which nothing is driven, presets on. On Node,
// last, the share of a CPU profile of the busy service that Runometer's code takes: a floor of its
// cost, precise where the ratios are not.
// Targets: the four presets cost ≤ 1% CPU per request (on vs off) and no more than prom-client
// (vs bare); idle ≤ 0.5% of a core and below prom-client's. Printed, never asserted.
// `node bench/host-cost.bench.js [runtime:workload …]`, e.g. `node bench/host-cost.bench.js bun:node-http`.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { launch, runtimeNamed } from '../tools/runtimes.js';
import { median, nth } from './measure.js';

const ROUNDS = 11;
const LOAD_SECONDS = 1;
const WARMUP_SECONDS = 2;
const IDLE_SECONDS = 10;
const PROFILE_SECONDS = 8;
const CONNECTIONS = 10;
const TARGET_PER_REQUEST = 0.01;
const TARGET_IDLE_SHARE = 0.005;
// `control` is bare too: its figure is the noise floor of the run.
const MONITORINGS = ['bare', 'control', 'prom-client', 'runometer', 'memory', 'sockets', 'threads', 'other'];
/** The services whose monitoring can be switched off and on again. */
const SWITCHABLE = new Set(['runometer', 'memory', 'sockets', 'threads', 'other']);

const app = fileURLToPath(new URL('./host-app.js', import.meta.url));
const DEFAULT_CONFIGS = ['node:node-http', 'node:hono', 'bun:node-http', 'deno:node-http'];

/** @typedef {import('../tools/runtimes.js').Runtime} Runtime */
/** @typedef {{ cpu: number, requests: number, at: number }} Mark what host-app.js answers: its CPU time (µs), requests served, and when (ms) */
/**
 * @typedef {object} Service a running service
 * @property {string} monitoring
 * @property {number} port
 * @property {(command?: 'mark' | 'on' | 'off') => Promise<Mark>} mark asks it for its CPU time and requests so far
 * @property {() => Promise<unknown>} stop
 */

/**
 * A running service: its port, and `mark()` asks it for its CPU time and requests so far.
 * @param {Runtime} runtime
 * @param {string} workload
 * @param {string} monitoring
 * @param {readonly string[]} [runtimeFlags]
 * @returns {Promise<Service>}
 */
export async function start(runtime, workload, monitoring, runtimeFlags = []) {
  const [command, ...args] = launch(runtime, app, { runtimeFlags });
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
    mark: (command = 'mark') => {
      child.stdin.write(`${command}\n`);
      return nextLine();
    },
    stop: () => {
      child.stdin.end();
      return new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** @param {Service} service @param {number} seconds */
export async function drive(service, seconds) {
  const result = await autocannon({ url: `http://127.0.0.1:${service.port}/`, connections: CONNECTIONS, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${service.monitoring}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
}

/** CPU µs per request and requests per second of each service over one load, driven together. @param {Service[]} services */
export async function measureTogether(services) {
  const before = await Promise.all(services.map((s) => s.mark()));
  await Promise.all(services.map((s) => drive(s, LOAD_SECONDS)));
  const after = await Promise.all(services.map((s) => s.mark()));
  return services.map((_, i) => {
    const [from, to] = [nth(before, i), nth(after, i)];
    const served = to.requests - from.requests;
    return { cpuPerRequest: (to.cpu - from.cpu) / served, rps: (served * 1000) / (to.at - from.at) };
  });
}

/**
 * On Node, one busy service's CPU profile over one long load, free of the noise between processes
 * and between seconds: the share of its CPU in the monitoring's code and what it calls (Runometer's
 * packages, the runtime's functions they call, the PerformanceObserver the runtime calls back
 * with gc entries, the gc-tracking functions of host-app.js), and the share in garbage collection.
 * A floor of the cost: the runtime's own work outside any JavaScript frame is not counted.
 * @param {string} workload
 * @param {string} monitoring
 * @param {{ isMonitoringCode?: (url: string, functionName: string) => boolean, attribution?: 'stack' | 'nearest' }} [options]
 *   `isMonitoringCode`: the monitoring's code, by script URL and function name: Runometer's packages by default.
 *   `attribution`: a sample is the monitoring's when any frame of its stack is (`stack`, the
 *   default: a timer's work and everything it calls), or when the nearest frame with a script of
 *   its own is, the runtime's built-ins skipped (`nearest`: a middleware, whose `next()` calls the
 *   app, costs its own code and the built-ins it calls, not the app's handler).
 */
export async function profileShares(workload, monitoring, { isMonitoringCode = (url) => url.includes('/packages/'), attribution = 'stack' } = {}) {
  const directory = await mkdtemp(join(tmpdir(), 'runometer-profile-'));
  try {
    const service = await start('node', workload, monitoring, ['--cpu-prof', `--cpu-prof-dir=${directory}`]);
    await drive(service, WARMUP_SECONDS + PROFILE_SECONDS);
    await service.stop();
    const [file] = await readdir(directory);
    if (file === undefined) throw new Error(`node --cpu-prof wrote no profile in ${directory}`);
    /** @type {import('node:inspector').Profiler.Profile} */
    const profile = JSON.parse(await readFile(join(directory, file), 'utf8'));
    /** @type {Map<number, number>} */
    const parent = new Map();
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const byId = new Map(profile.nodes.map((node) => [node.id, node]));
    const isMonitoring = (/** @type {import('node:inspector').Profiler.ProfileNode | undefined} */ node) => {
      const { url, functionName } = node?.callFrame ?? { url: '', functionName: '' };
      return isMonitoringCode(url, functionName) || url === 'node:internal/perf/observe' || functionName === 'readGcProfiler' || functionName === 'countGcEntries';
    };
    const isBuiltIn = (/** @type {import('node:inspector').Profiler.ProfileNode | undefined} */ node) => {
      const url = node?.callFrame.url ?? '';
      return url === '' || url.startsWith('node:');
    };
    const monitoringNodes = new Set();
    for (const node of profile.nodes) {
      for (let id = /** @type {number | undefined} */ (node.id); id !== undefined; id = parent.get(id)) {
        const frame = byId.get(id);
        if (isMonitoring(frame)) {
          monitoringNodes.add(node.id);
          break;
        }
        if (attribution === 'nearest' && !isBuiltIn(frame)) break;
      }
    }
    let [busy, inMonitoring, inGc] = [0, 0, 0];
    (profile.samples ?? []).forEach((id, i) => {
      const ms = profile.timeDeltas?.[i] ?? 0;
      const functionName = byId.get(id)?.callFrame.functionName;
      if (functionName === '(idle)') return;
      busy += ms;
      if (monitoringNodes.has(id)) inMonitoring += ms;
      if (functionName === '(garbage collector)') inGc += ms;
    });
    return { monitoring: inMonitoring / busy, gc: inGc / busy };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export const share = (/** @type {number} */ ratio) => `${(ratio * 100).toFixed(2)}%`;

export const percent = (/** @type {number} */ ratio) => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`;

/** @param {Runtime} runtime @param {string} workload */
async function run(runtime, workload) {
  const reference = await start(runtime, workload, 'bare');
  const services = [];
  for (const monitoring of MONITORINGS) services.push(await start(runtime, workload, monitoring));
  try {
    await Promise.all([reference, ...services].map((service) => drive(service, WARMUP_SECONDS)));
    /** @typedef {{ cpu: number, rps: number }} Ratios CPU per request and req/s, as ratios to the reference's over the same seconds */
    /** Per service, per round: its ratios to the reference, on and (if switchable) off, and its CPU per request. */
    const rounds = new Map(services.map((s) => [s, { on: /** @type {Ratios[]} */ ([]), off: /** @type {Ratios[]} */ ([]), cpuPerRequest: /** @type {number[]} */ ([]) }]));
    /** @param {Service} service @param {Ratios[]} into */
    const against = async (service, into) => {
      const [ofReference, ofService] = await measureTogether([reference, service]);
      if (ofReference === undefined || ofService === undefined) throw new Error('measured fewer services than driven');
      into.push({ cpu: ofService.cpuPerRequest / ofReference.cpuPerRequest, rps: ofService.rps / ofReference.rps });
      return ofService;
    };
    for (let round = 0; round < ROUNDS; round++) {
      for (const [service, { on, off, cpuPerRequest }] of round % 2 === 0 ? [...rounds] : [...rounds].reverse()) {
        const switchable = SWITCHABLE.has(service.monitoring);
        // Off first in even rounds, on first in odd ones.
        if (switchable && round % 2 === 0) await service.mark('off').then(() => against(service, off)).then(() => service.mark('on'));
        cpuPerRequest.push((await against(service, on)).cpuPerRequest);
        if (switchable && round % 2 === 1) await service.mark('off').then(() => against(service, off)).then(() => service.mark('on'));
      }
    }
    await sleep(1000); // Let the last load's garbage be collected before the quiet spell.
    const quietStart = await Promise.all(services.map((s) => s.mark()));
    await sleep(IDLE_SECONDS * 1000);
    const quietEnd = await Promise.all(services.map((s) => s.mark()));
    const idle = services.map((_, i) => {
      const [from, to] = [nth(quietStart, i), nth(quietEnd, i)];
      return (to.cpu - from.cpu) / 1000 / (to.at - from.at);
    });

    console.log(
      `${runtime} ${workload}: ${ROUNDS} rounds of ${LOAD_SECONDS} s, each service driven beside a bare reference, ` +
        `${CONNECTIONS} connections each; then ${IDLE_SECONDS} s quiet`,
    );
    console.log(
      `  ${'monitoring'.padEnd(12)} ${'CPU/request'.padStart(12)} ${'vs bare'.padStart(8)} ${'on vs off'.padStart(10)} ` +
        `${'req/s vs bare'.padStart(14)} ${'idle CPU'.padStart(12)}`,
    );
    const bare = nth([...rounds.values()], MONITORINGS.indexOf('bare')).on;
    /** @type {Map<string, { perRequest: number, onOff: number | undefined, idle: number }>} */
    const figures = new Map();
    [...rounds].forEach(([service, { on, off, cpuPerRequest }], i) => {
      const cpuRatio = median(on.map((r, round) => r.cpu / nth(bare, round).cpu));
      const rpsRatio = median(on.map((r, round) => r.rps / nth(bare, round).rps));
      const onOff = off.length > 0 ? median(on.map((r, round) => r.cpu / nth(off, round).cpu)) : undefined;
      figures.set(service.monitoring, { perRequest: cpuRatio, onOff, idle: nth(idle, i) });
      console.log(
        `  ${service.monitoring.padEnd(12)} ${`${median(cpuPerRequest).toFixed(1)} µs`.padStart(12)} ${percent(cpuRatio).padStart(8)} ` +
          `${(onOff === undefined ? '' : percent(onOff)).padStart(10)} ${percent(rpsRatio).padStart(14)} ${`${(nth(idle, i) * 100).toFixed(2)}% core`.padStart(12)}`,
      );
    });
    const [runometer, promClient] = [figures.get('runometer'), figures.get('prom-client')];
    if (runometer?.onOff === undefined || promClient === undefined) throw new Error('runometer and prom-client were not measured');
    const ours = runometer.onOff - 1;
    const [oursApart, theirs] = [runometer.perRequest - 1, promClient.perRequest - 1];
    const [ourIdle, theirIdle] = [runometer.idle, promClient.idle];
    const verdict = (/** @type {boolean} */ met) => (met ? 'met' : 'MISSED');
    console.log(
      `  targets: four presets ${percent(ours + 1)} CPU per request on vs off (≤ +${TARGET_PER_REQUEST * 100}%: ${verdict(ours <= TARGET_PER_REQUEST)}), ` +
        `${percent(oursApart + 1)} vs bare against prom-client's ${percent(theirs + 1)} (no more: ${verdict(oursApart <= Math.max(theirs, 0))}); ` +
        `idle ${(ourIdle * 100).toFixed(2)}% of a core (≤ ${TARGET_IDLE_SHARE * 100}% and below prom-client's ${(theirIdle * 100).toFixed(2)}%: ` +
        `${verdict(ourIdle <= TARGET_IDLE_SHARE && ourIdle < theirIdle)})`,
    );
    if (runtime === 'node') {
      const ours = await profileShares(workload, 'runometer');
      console.log(
        `  profile: Runometer's code and what it calls take ${share(ours.monitoring)} of the busy service's CPU over ${PROFILE_SECONDS} s, ` +
          `the four presets on (target ≤ 1%: ${verdict(ours.monitoring <= TARGET_PER_REQUEST)})`,
      );
      const [bare, profiler, observer] = [await profileShares(workload, 'bare'), await profileShares(workload, 'gc-profiler'), await profileShares(workload, 'gc-observer')];
      console.log(
        `  profile, counting collections alone: v8.GCProfiler read every second ${share(profiler.monitoring)}, ` +
          `a PerformanceObserver of gc entries ${share(observer.monitoring)}; in garbage collection: ${share(profiler.gc)}, ${share(observer.gc)}, bare ${share(bare.gc)}`,
      );
    }
    console.log('');
  } finally {
    await Promise.all([reference, ...services].map((s) => s.stop()));
  }
}

// Run as a script, not when http-preset.bench.js imports its machinery.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const configs = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_CONFIGS;
  for (const config of configs) {
    const [runtime, workload] = config.split(':');
    if (workload === undefined) throw new Error(`expected runtime:workload, got "${config}"`);
    await run(runtimeNamed(runtime), workload);
  }
}
