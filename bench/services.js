// The machinery of the benchmarks that run a service as a user does (host-cost, http-preset):
// host-app.js's small JSON service started on a runtime, driven by autocannon, its CPU time read.
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { launch } from '../tools/runtimes.js';
import { median, nth } from './measure.js';

const LOAD_SECONDS = 1;
const WARMUP_SECONDS = 2;
export const PROFILE_SECONDS = 8;
const CONNECTIONS = 10;

const app = fileURLToPath(new URL('./host-app.js', import.meta.url));

/** @typedef {import('../tools/runtimes.js').Runtime} Runtime */
/** @typedef {{ cpu: number, requests: number, at: number }} Mark what host-app.js answers: its CPU time (µs), requests served, and when (ms) */
/**
 * @typedef {object} Service a running service
 * @property {string} monitoring
 * @property {number} port
 * @property {number} pid
 * @property {string} runtime the runtime and its version, as the service names itself
 * @property {(command?: 'mark' | 'on' | 'off') => Promise<Mark>} mark asks it for its CPU time and requests so far
 * @property {() => Promise<unknown>} stop
 */

/**
 * A running service: its port, and `mark()` asks it for its CPU time and requests so far.
 * @param {Runtime} runtime
 * @param {string} workload
 * @param {string} monitoring
 * @param {readonly string[]} [runtimeFlags]
 * @param {(line: string) => void} [onTrace] takes what the runtime itself writes on stdout (`--trace-gc`): every line that is not host-app's JSON
 * @returns {Promise<Service>}
 */
export async function start(runtime, workload, monitoring, runtimeFlags = [], onTrace) {
  const [command, ...args] = launch(runtime, app, { runtimeFlags });
  const child = spawn(command, [...args, workload, monitoring], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    for (;;) {
      const { value, done } = await lines.next();
      if (done) throw new Error(`${runtime} ${workload} ${monitoring}: the service ended early`);
      if (onTrace === undefined || value.startsWith('{')) return JSON.parse(value);
      onTrace(value);
    }
  };
  const { port, runtime: version } = await nextLine();
  if (child.pid === undefined) throw new Error(`${runtime} ${workload} ${monitoring}: no pid`);
  return {
    monitoring,
    port,
    pid: child.pid,
    runtime: version,
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

/**
 * Drives `service` for `seconds` and resolves to the requests it answered.
 * @param {Service} service @param {number} seconds @param {number} [connections]
 */
export async function drive(service, seconds, connections = CONNECTIONS) {
  const result = await autocannon({ url: `http://127.0.0.1:${service.port}/`, connections, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${service.monitoring}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return result['2xx'];
}

/** Linux's clock ticks a second (USER_HZ), the unit of /proc/<pid>/stat's CPU times. */
const TICKS_PER_SECOND = 100;

/**
 * A process's CPU time so far in seconds, user and system, every thread, from /proc/<pid>/stat:
 * read from outside, so that measuring costs the process nothing.
 * @param {number} pid
 */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  // Fields after the command's closing parenthesis, from the third (state): utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
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

const TOGGLE_WINDOW_MS = 100;

/**
 * What a switchable monitoring (a hook) costs one busy process, whole-process CPU, native work
 * included: while autocannon drives the service for `seconds`, the hook is switched on and off every
 * 100 ms, and each on-window's CPU per request is taken over the mean of its two off-neighbours', so
 * that the machine's drift cancels. The median of those ratios. Switching between two identical
 * apps (host-app's `hono-noop/noop`, which the http-preset bench runs beside the hooks) read
 * −0.1% to −0.4% in four processes on Node 24: the method's zero, which the bench quotes the hooks against.
 * Processes differ more than windows do (the same hook from +10.9% to +17.0% in four), so take it
 * over several.
 * @param {Service} service @param {number} seconds
 */
export async function toggledRatio(service, seconds) {
  const load = drive(service, WARMUP_SECONDS + seconds + 1);
  await new Promise((resolve) => setTimeout(resolve, WARMUP_SECONDS * 1000));
  /** @type {(Mark & { on: boolean })[]} */
  const marks = [];
  for (let window = 0; window < (seconds * 1000) / TOGGLE_WINDOW_MS; window++) {
    const on = window % 2 === 1;
    marks.push({ on, ...(await service.mark(on ? 'on' : 'off')) });
    await new Promise((resolve) => setTimeout(resolve, TOGGLE_WINDOW_MS));
  }
  marks.push({ on: false, ...(await service.mark('on')) });
  await load;
  const perRequest = marks
    .slice(0, -1)
    .map((mark, i) => ({ on: mark.on, cpu: (nth(marks, i + 1).cpu - mark.cpu) / (nth(marks, i + 1).requests - mark.requests) }));
  const ratios = [];
  for (let i = 1; i + 1 < perRequest.length; i++) {
    const { on, cpu } = nth(perRequest, i);
    if (on) ratios.push(cpu / ((nth(perRequest, i - 1).cpu + nth(perRequest, i + 1).cpu) / 2));
  }
  return median(ratios);
}

/**
 * On Node, one busy service's CPU profile over one long load, free of the noise between processes
 * and between seconds: the share of its CPU in the monitoring's code and what it calls (Runometer's
 * packages, the runtime's functions they call, the PerformanceObserver the runtime calls back
 * with gc entries, the gc-tracking functions of host-app.js), and the share in garbage collection.
 * A floor of the cost: the runtime's own work outside any JavaScript frame is not counted.
 * @param {string} workload
 * @param {string} monitoring
 * @param {{ isMonitoringCode?: (url: string, functionName: string) => boolean, isAppCalled?: (url: string, functionName: string) => boolean }} [options]
 *   `isMonitoringCode`: the monitoring's code, by script URL and function name: Runometer's packages by default.
 *   `isAppCalled`: for a middleware, the frames through which it calls the app (Hono's `next()`,
 *   the listener a hook wraps): a sample is the monitoring's when, going up its stack, a frame of
 *   the monitoring's comes before any such frame. So a middleware costs its own code and all it
 *   calls (the runtime's built-ins, the framework's getters it reads), not the app's handler.
 *   Without it, a sample is the monitoring's when any frame of its stack is: a timer's work and
 *   everything it calls.
 */
export async function profileShares(
  workload,
  monitoring,
  { isMonitoringCode = (url) => url.includes('/packages/'), isAppCalled = () => false } = {},
) {
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
      return (
        isMonitoringCode(url, functionName) ||
        url === 'node:internal/perf/observe' ||
        functionName === 'readGcProfiler' ||
        functionName === 'countGcEntries'
      );
    };
    const monitoringNodes = new Set();
    for (const node of profile.nodes) {
      for (let id = /** @type {number | undefined} */ (node.id); id !== undefined; id = parent.get(id)) {
        const frame = byId.get(id);
        if (isMonitoring(frame)) {
          monitoringNodes.add(node.id);
          break;
        }
        if (frame !== undefined && isAppCalled(frame.callFrame.url, frame.callFrame.functionName)) break;
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
