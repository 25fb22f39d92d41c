// A child of host-cost.bench.js, on Node, Bun or Deno: a small JSON service, monitored one way.
// `node bench/host-app.js <workload> <monitoring>`:
//   workload   `node-http`: a node:http server; `hono`: a Hono app served by server-hono's serveApp.
//   monitoring `bare` (`control` is bare too: a second one shows the noise between two equals),
//              `prom-client` (collectDefaultMetrics), `runometer` (the four presets), or one
//              preset alone: `memory`, `sockets`, `threads`, `other`, or some of them joined by `+`; or one way of counting
//              collections alone: `gc-profiler` (v8.GCProfiler, read and restarted every second,
//              as preset-other did) or `gc-observer` (a PerformanceObserver of gc entries); or a
//              timer alone: `eld` (monitorEventLoopDelay at 10 ms, as prom-client has) or `js-timer`
//              (a setTimeout of 10 to 30 ms, as preset-threads' sampler); pieces and presets
//              join with `+` (`threads+gc-observer`); or OpenTelemetry's own runtime metrics,
//              `otel-runtime-node` (@opentelemetry/instrumentation-runtime-node on an sdk-metrics
//              MeterProvider whose reader is never collected, as no monitoring here is scraped; Node
//              22.15 and later), alone or beside ours (`runometer+otel-runtime-node`); `no-gc` joined to presets turns preset-other's
//              GC counting off (`runometer+no-gc`: the four presets without collections counted); or
//              the app's own requests: `http` (@runometer/preset-http's hook for the workload,
//              with its preset on a meter) or, on `hono`, `hono-prometheus` (@hono/prometheus) or
//              `hono-noop` (a middleware that only awaits next(): what any middleware costs Hono);
//              on `hono`, a hook followed by `/noop` (`http/noop`) is switched against the same app
//              with the middleware that only awaits next(), not against the bare app.
// Prints its port and runtime once listening. Each line read on stdin is answered with one JSON line: the
// process's own CPU time so far (user + system, µs), the requests it has served, and the time.
// With Runometer, the line `off` closes the meter first and `on` makes a new one, so that one
// process can be measured with and without it; with a hook (`http`, `hono-prometheus`), `off`
// sends the requests to the same app without the hook (or, after `/noop`, with the pass-through
// instead). Stops when stdin closes.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import { runtimeName } from './measure.js';

const [workload, monitoringArgument] = process.argv.slice(2);
/** `http/noop`: the hook `http`, switched against the pass-through (`passThroughOff`) instead of the bare app. */
const [monitoring, base] = monitoringArgument?.split('/', 2) ?? [];
if (base !== undefined && base !== 'noop') throw new Error(`monitoring "${monitoringArgument}": only /noop may follow a hook`);
const passThroughOff = base === 'noop';

/** The route's work: an object of 10 items built, serialised and sent, as a JSON API does. */
let requests = 0;
function body() {
  requests++;
  const items = [];
  for (let i = 0; i < 10; i++) items.push({ id: i, name: `item ${i}`, price: i * 1.5, tags: ['a', 'b'] });
  return JSON.stringify({ page: requests % 100, items });
}

const HOOKS = new Set(['http', 'hono-prometheus', 'hono-noop']);
/** Whether a hook (`http`, `hono-prometheus`, `hono-noop`) sees the requests: `off` sends them to the app without it. */
let hooked = true;

/**
 * Starts monitoring of `kind`; resolves to a switch `(on) => …` (undefined for prom-client, which cannot be stopped).
 * @param {string | undefined} kind
 * @returns {Promise<((on: boolean) => Promise<void>) | undefined>}
 */
async function monitor(kind) {
  if (kind === 'bare' || kind === 'control') return undefined;
  if (HOOKS.has(kind ?? '')) {
    if (kind === 'http') {
      const [{ Runometer }, { HttpPreset }] = await Promise.all([import('@runometer/core'), import('@runometer/preset-http')]);
      new Runometer('host').use(HttpPreset);
    }
    return async (on) => {
      hooked = on;
    };
  }
  if (PIECES.has(kind ?? '')) return startPiece(kind ?? '');
  if (kind === 'prom-client') {
    const { default: client } = await import('prom-client');
    const registry = new client.Registry();
    client.collectDefaultMetrics({ register: registry });
    return undefined;
  }
  const { Runometer } = await import('@runometer/core');
  const presets = {
    memory: async () => (await import('@runometer/preset-memory')).MemoryPreset,
    sockets: async () => (await import('@runometer/preset-sockets')).SocketsPreset,
    threads: async () => (await import('@runometer/preset-threads')).ThreadsPreset,
    other: async () => (await import('@runometer/preset-other')).OtherPreset,
  };
  const known = /** @type {(keyof typeof presets)[]} */ (Object.keys(presets));
  const parts = kind?.split('+') ?? [];
  for (const part of parts.filter((part) => PIECES.has(part))) await startPiece(part);
  const names = parts.includes('runometer') ? known : known.filter((name) => parts.includes(name));
  const unknown = parts.filter(
    (part) => !PIECES.has(part) && part !== 'runometer' && part !== 'no-gc' && !names.some((name) => name === part),
  );
  if (unknown.length > 0 || (names.length === 0 && parts.includes('no-gc'))) throw new Error(`unknown monitoring "${kind}"`);
  if (names.length === 0) return undefined;
  if (parts.includes('no-gc')) {
    const [{ container }, { ProcessMonitor }] = await Promise.all([import('@runometer/core'), import('@runometer/preset-other')]);
    container.resolve(ProcessMonitor).countCollections = false;
  }
  const classes = await Promise.all(names.map((name) => presets[name]()));
  /** @type {import('@runometer/core').Runometer | undefined} */
  let meter = new Runometer('host').use(...classes);
  return async (on) => {
    if (on && meter === undefined) meter = new Runometer('host').use(...classes);
    if (!on && meter !== undefined) await meter.close();
    if (!on) meter = undefined;
  };
}

/** One piece of a monitoring alone, started for good: see the header. */
const PIECES = new Set(['gc-profiler', 'gc-observer', 'eld', 'js-timer', 'otel-runtime-node']);

/** @param {string} kind */
async function startPiece(kind) {
  if (kind === 'gc-profiler') {
    const { GCProfiler } = await import('node:v8');
    const profiler = new GCProfiler();
    profiler.start();
    setInterval(function readGcProfiler() {
      profiler.stop();
      profiler.start();
    }, 1000).unref();
  } else if (kind === 'gc-observer') {
    const { PerformanceObserver } = await import('node:perf_hooks');
    // biome-ignore lint/correctness/noUnusedVariables: the sum is the work measured (what preset-other's observer does), never read
    let pause = 0;
    new PerformanceObserver(function countGcEntries(list) {
      for (const entry of list.getEntries()) pause += entry.duration;
    }).observe({ entryTypes: ['gc'] });
  } else if (kind === 'otel-runtime-node') {
    const [{ metrics }, { MeterProvider, MetricReader }, { RuntimeNodeInstrumentation }] = await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/sdk-metrics'),
      import('@opentelemetry/instrumentation-runtime-node'),
    ]);
    class NeverCollected extends MetricReader {
      async onForceFlush() {}
      async onShutdown() {}
    }
    const provider = new MeterProvider({ readers: [new NeverCollected()] });
    metrics.setGlobalMeterProvider(provider);
    // Enabled as it is made, with its defaults (a 10 ms delay histogram); its instruments are made
    // only when it is given a provider, as registerInstrumentations() and the NodeSDK do.
    new RuntimeNodeInstrumentation().setMeterProvider(provider);
  } else if (kind === 'eld') {
    const { monitorEventLoopDelay } = await import('node:perf_hooks');
    monitorEventLoopDelay({ resolution: 10 }).enable();
  } else {
    (function turn() {
      setTimeout(turn, 10 + Math.random() * 20).unref();
    })();
  }
  return undefined;
}

/** The `hono-noop` hook. @type {import('hono').MiddlewareHandler} */
async function passThrough(_c, next) {
  await next();
}

/**
 * @param {string | undefined} kind the workload
 * @param {string | undefined} monitoring
 */
async function listen(kind, monitoring) {
  if (kind === 'node-http') {
    /** @type {import('node:http').RequestListener} */
    const listener = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(body());
    };
    let serve = listener;
    if (monitoring === 'http') {
      const { withHttpMetrics } = await import('@runometer/preset-http');
      const recorded = withHttpMetrics(listener, { route: () => '/' });
      serve = (request, response) => (hooked ? recorded : listener)(request, response);
    } else if (HOOKS.has(monitoring ?? '') || passThroughOff)
      throw new Error(`monitoring "${monitoringArgument}" is for the hono workload`);
    const server = createServer(serve);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
    const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
    return { port };
  }
  if (kind === 'hono') {
    const { Hono } = await import('hono');
    const { serveApp } = await import('@runometer/server-hono');
    /** @param {import('hono').Hono} app */
    const route = (app) => app.get('/', (c) => c.body(body(), 200, { 'Content-Type': 'application/json' }));
    const app = route(new Hono());
    if (!HOOKS.has(monitoring ?? '')) {
      if (passThroughOff) throw new Error(`monitoring "${monitoringArgument}": /noop follows a hook`);
      return serveApp(app, { port: 0 });
    }
    /** @type {import('hono').MiddlewareHandler} */
    const hook =
      monitoring === 'http'
        ? (await import('@runometer/preset-http/hono')).honoHttpMetrics()
        : monitoring === 'hono-prometheus'
          ? (await import('@hono/prometheus')).prometheus().registerMetrics
          : passThrough;
    const monitored = route(new Hono().use(hook));
    const unmonitored = passThroughOff ? route(new Hono().use(passThrough)) : app;
    // The same app with and without the hook: `off` and `on` measure one process both ways.
    return serveApp({ fetch: (request, env) => (hooked ? monitored : unmonitored).fetch(request, env) }, { port: 0 });
  }
  throw new Error(`unknown workload "${kind}"`);
}

const setMonitoring = await monitor(monitoring);
const server = await listen(workload, monitoring);
console.log(JSON.stringify({ port: server.port, runtime: runtimeName() }));
const lines = createInterface({ input: process.stdin });
lines.on('line', async (line) => {
  if (line === 'on' || line === 'off') await setMonitoring?.(line === 'on');
  const { user, system } = process.cpuUsage();
  console.log(JSON.stringify({ cpu: user + system, requests, at: performance.now() }));
});
lines.on('close', async () => {
  await setMonitoring?.(false);
  process.exit(0);
});
