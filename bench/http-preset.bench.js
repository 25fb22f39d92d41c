// What @runometer/preset-http's hook costs a service per request, against the bare service and
// against @hono/prometheus, in the same run: services.js's machinery (host-app.js's small JSON
// service, driven by autocannon beside a bare reference over the same seconds, CPU per request from
// each process's own process.cpuUsage()), with the hooks as the monitorings. What decides the
// targets is each hook switched every 100 ms in one busy process (services.js's toggledRatio,
// whole-process CPU, native work and GC included), over several processes, since processes differ
// more than windows do: on Hono, against the same app with a middleware that only awaits next()
// (host-app's `http/noop`), so that the hook's own cost is read in one process, beside two such
// apps switched (`hono-noop/noop`: what the switching itself reads, the method's zero); on
// node:http, against the bare listener. On Node, a CPU profile of the busy service gives each
// hook's JavaScript share, a diagnostic of where it goes (TurboFan inlines next() and the app into
// the hook, so only the profile's call tree tells them apart); and the middlewares are timed
// without a server, `app.request()` in one process, in nanoseconds.
// Targets: cheaper than @hono/prometheus, and under 2% of a Hono request's CPU over a middleware
// that only awaits next(), served, against the method's zero. Printed, never asserted.
// `node bench/http-preset.bench.js [runtime:workload …]` (workloads `hono`, `node-http`: @hono/prometheus is Hono's only).
import { Hono } from 'hono';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { RUNTIMES, currentRuntime, launch, runtimeNamed } from '../tools/runtimes.js';
import { drive, measureTogether, percent, profileShares, share, start, toggledRatio } from './services.js';
import { median, nth } from './measure.js';

const ROUNDS = 11;
const WARMUP_SECONDS = 2;
const TARGET_SHARE = 0.02;
const TOGGLED_PROCESSES = 4;
const TOGGLED_SECONDS = 12;
const OURS = 'http';
const THEIRS = 'hono-prometheus';
/** A middleware that only awaits next(): what any middleware costs Hono, ours included. */
const NOOP = 'hono-noop';
/** A hook switched against the same app with NOOP instead (host-app's `/noop`): its cost over any middleware's. */
const overNoop = (/** @type {string} */ hook) => `${hook}/noop`;
const DEFAULT_CONFIGS = ['node:hono', 'bun:hono', 'deno:hono'];

/** @typedef {import('./services.js').Service} Service */
/** @typedef {import('../tools/runtimes.js').Runtime} Runtime */

const verdict = (/** @type {boolean} */ met) => (met ? 'met' : 'MISSED');

/** @param {Runtime} runtime @param {string} workload */
async function run(runtime, workload) {
  const monitorings = ['bare', 'control', OURS, ...(workload === 'hono' ? [THEIRS, NOOP] : [])];
  const hooks = workload === 'hono' ? [NOOP, ...[NOOP, OURS, THEIRS].map(overNoop)] : [OURS];
  const reference = await start(runtime, workload, 'bare');
  /** @type {Service[]} */
  const services = [];
  for (const monitoring of monitorings) services.push(await start(runtime, workload, monitoring));
  try {
    await Promise.all([reference, ...services].map((service) => drive(service, WARMUP_SECONDS)));
    /** Per service, per round: its CPU per request as a ratio to the reference's, and its own CPU per request. */
    const rounds = new Map(services.map((s) => [s, { ratios: /** @type {number[]} */ ([]), cpuPerRequest: /** @type {number[]} */ ([]) }]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [service, { ratios, cpuPerRequest }] of round % 2 === 0 ? [...rounds] : [...rounds].reverse()) {
        const [ofReference, ofService] = await measureTogether([reference, service]);
        if (ofReference === undefined || ofService === undefined) throw new Error('measured fewer services than driven');
        ratios.push(ofService.cpuPerRequest / ofReference.cpuPerRequest);
        cpuPerRequest.push(ofService.cpuPerRequest);
      }
    }
    console.log(`${runtime} ${workload}: ${ROUNDS} rounds of 1 s, each service driven beside a bare reference`);
    const bare = nth([...rounds.values()], monitorings.indexOf('bare')).ratios;
    for (const [service, { ratios, cpuPerRequest }] of rounds) {
      const vsBare = median(ratios.map((ratio, round) => ratio / nth(bare, round)));
      console.log(
        `  ${service.monitoring.padEnd(16)} ${`${median(cpuPerRequest).toFixed(1)} µs`.padStart(12)} ${percent(vsBare).padStart(8)} vs bare`,
      );
    }
  } finally {
    await Promise.all([reference, ...services].map((s) => s.stop()));
  }
  const toggled = hooks.map((hook) => ({ hook, ratios: /** @type {number[]} */ ([]) }));
  for (let round = 0; round < TOGGLED_PROCESSES; round++) {
    for (const { hook, ratios } of round % 2 === 0 ? toggled : [...toggled].reverse()) {
      const service = await start(runtime, workload, hook);
      try {
        ratios.push(await toggledRatio(service, TOGGLED_SECONDS));
      } finally {
        await service.stop();
      }
    }
  }
  console.log(
    `  each hook switched every 100 ms in one busy process, ${TOGGLED_SECONDS} s, whole-process CPU per request on over off` +
      `${workload === 'hono' ? ' (off: the bare app; after /noop, the app with a middleware that only awaits next())' : ' (off: the bare listener)'}; ${TOGGLED_PROCESSES} processes each:`,
  );
  /** @type {Map<string, number>} */
  const costs = new Map();
  for (const { hook, ratios } of toggled) {
    costs.set(hook, median(ratios));
    console.log(`  ${hook.padEnd(22)} ${percent(median(ratios)).padStart(8)} (${ratios.map(percent).join(', ')})`);
  }
  const [ours, theirs, zero] = [OURS, THEIRS, NOOP].map((name) => costs.get(workload === 'hono' ? overNoop(name) : name));
  if (ours === undefined) throw new Error('the http hook was not measured');
  console.log(
    zero === undefined
      ? `  the http hook ${percent(ours)} over the bare listener`
      : `  targets: the http hook over a middleware that only awaits next() ${percent(ours / zero)} against the method's zero ` +
          `(${percent(ours)} read, ${percent(zero)} the zero; < +${TARGET_SHARE * 100}%: ${verdict(ours / zero - 1 < TARGET_SHARE)})` +
          (theirs === undefined ? '' : `; @hono/prometheus over it ${percent(theirs / zero)} (ours cheaper: ${verdict(ours < theirs)})`),
  );
  if (runtime === 'node') {
    // Each hook's own code and everything it calls but the app: server-hono serves the bare service too, so it is not ours.
    const isAppCalled = (/** @type {string} */ url, /** @type {string} */ name) =>
      workload === 'hono'
        ? name === '' && url.endsWith('/hono/dist/compose.js')
        : name === 'listener' && url.endsWith('/bench/host-app.js');
    const isOurs = (/** @type {string} */ url) => /\/packages\/(preset-http|core)\//.test(url);
    const ourShare = (await profileShares(workload, OURS, { isMonitoringCode: isOurs, isAppCalled })).monitoring;
    const line = [
      `  profile (a diagnostic: JavaScript frames only), each hook's code and all it calls but the app: the http hook ${share(ourShare)} of the busy service's CPU`,
    ];
    if (workload === 'hono') {
      const isTheirs = (/** @type {string} */ url) => /\/(@hono\/prometheus|prom-client)\//.test(url);
      const theirShare = (await profileShares(workload, THEIRS, { isMonitoringCode: isTheirs, isAppCalled })).monitoring;
      const noopShare = (await profileShares(workload, NOOP, { isMonitoringCode: (_url, name) => name === 'passThrough', isAppCalled }))
        .monitoring;
      line.push(
        `@hono/prometheus ${share(theirShare)}`,
        `the middleware that only awaits next() ${share(noopShare)}; the http hook over it ${share(ourShare - noopShare)}`,
      );
    }
    console.log(line.join('; '));
  }
  console.log('');
}

const IN_PROCESS_ROUNDS = 41;
const IN_PROCESS_BATCH = 2000;

/** CPU µs (user + system) of `calls` calls of `task`, one after the other. @param {() => unknown} task @param {number} calls */
async function cpuOf(task, calls) {
  const before = process.cpuUsage();
  for (let i = 0; i < calls; i++) await task();
  const { user, system } = process.cpuUsage(before);
  return user + system;
}

/**
 * Both middlewares without a server, in this process: `app.request()` of the same app bare and with
 * each, in interleaved batches timed in CPU time (this VM's other processes slow wall time by up to
 * 2×), the median over rounds of each one's CPU per request over the bare one's of the same round.
 */
async function inProcess() {
  const [{ Runometer }, { HttpPreset }, { honoHttpMetrics }, { prometheus }] = await Promise.all([
    import('@runometer/core'),
    import('@runometer/preset-http'),
    import('@runometer/preset-http/hono'),
    import('@hono/prometheus'),
  ]);
  const meter = new Runometer('bench').use(HttpPreset);
  const json = JSON.stringify({ items: [1, 2, 3] });
  /** @param {Hono} app */
  const route = (app) => app.get('/items/:id', (c) => c.body(json, 200, { 'Content-Type': 'application/json' }));
  const apps = [
    { name: 'bare', app: route(new Hono()) },
    { name: OURS, app: route(new Hono().use(honoHttpMetrics())) },
    { name: THEIRS, app: route(new Hono().use(prometheus().registerMetrics)) },
    { name: NOOP, app: route(new Hono().use(async (_c, next) => void (await next()))) },
  ];
  const perRequest = apps.map(() => /** @type {number[]} */ ([]));
  for (let round = 0; round < IN_PROCESS_ROUNDS; round++) {
    const order = round % 2 === 0 ? apps : [...apps].reverse();
    for (const entry of order) {
      const cpu = await cpuOf(() => entry.app.request('/items/42'), IN_PROCESS_BATCH);
      // The first rounds warm up.
      if (round > 0) nth(perRequest, apps.indexOf(entry)).push(cpu / IN_PROCESS_BATCH);
    }
  }
  const [bare, ours, theirs, noop] = perRequest;
  if (bare === undefined || ours === undefined || theirs === undefined || noop === undefined)
    throw new Error('measured fewer apps than made');
  const added = (/** @type {number[]} */ hooked) => median(hooked.map((cpu, round) => cpu - nth(bare, round)));
  const ratio = (/** @type {number[]} */ hooked) => median(hooked.map((cpu, round) => cpu / nth(bare, round)));
  console.log(
    `${currentRuntime()}, app.request() without a server, CPU time: bare ${median(bare).toFixed(2)} µs a request; ` +
      `the http hook adds ${(added(ours) * 1000).toFixed(0)} ns (${percent(ratio(ours))}), @hono/prometheus ${(added(theirs) * 1000).toFixed(0)} ns (${percent(ratio(theirs))}), ` +
      `a middleware that only awaits next() ${(added(noop) * 1000).toFixed(0)} ns (${percent(ratio(noop))})`,
  );
  await meter.close();
}

const IN_PROCESS = '--in-process';
if (process.argv.includes(IN_PROCESS)) {
  await inProcess();
} else {
  const configs = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_CONFIGS;
  for (const config of configs) {
    const [runtime, workload] = config.split(':');
    if (workload === undefined) throw new Error(`expected runtime:workload, got "${config}"`);
    await run(runtimeNamed(runtime), workload);
  }
  for (const runtime of RUNTIMES) {
    const [command, ...args] = launch(runtime, fileURLToPath(import.meta.url));
    execFileSync(command, [...args, IN_PROCESS], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
}
