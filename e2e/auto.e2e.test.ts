// @runometer/auto preloaded into apps that know nothing of Runometer (e2e/fixtures/auto/), started
// with the flag on every Node line, Bun and Deno, over the built packages: what an operator sees.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { catalogOf } from '@runometer/core';
import { HttpPreset } from '@runometer/preset-http';
import { beforeAll, describe, expect, test } from 'vitest';
import { decodeRequest } from '../packages/push/test/otlp-proto.js';
import { startTarget } from '../packages/push/test/target.js';
import { expectedKeys } from '../test/expected-fields.js';
import { PRESETS } from '../tools/catalog.js';
import { buildPackages, knownRuntime } from '../test/runtimes.js';
import { EVERY_RUNTIME, NODES, launch, preloadFlags, type Runtime } from '../tools/runtimes.js';
import { freePort } from './ports.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = (name: string) => `${root}e2e/fixtures/auto/${name}`;

beforeAll(() => buildPackages(), 120_000);

/** Node publishes every node:http server's requests, Deno its node:http servers'; Bun publishes none. */
const seesNodeHttp = (runtime: Runtime) => runtime !== 'bun';

interface App {
  stdout(): string;
  stderr(): string;
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(signal: NodeJS.Signals): void;
  /** Resolves once stdout has `text`. */
  printed(text: string): Promise<void>;
}

/**
 * Starts `file` of the fixtures on `runtime`, with the preload's flag unless `flag` is false; in
 * the repository's root unless `cwd` says where.
 */
function startApp(runtime: Runtime, file: string, env: Record<string, string>, { flag = true, cwd = root } = {}): App {
  const runtimeFlags = flag ? preloadFlags(runtime, '@runometer/auto') : [];
  const [command, ...args] = launch(runtime, fixture(file), { packages: 'dist', runtimeFlags });
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiting: { text: string; resolve: () => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wait of waiting.filter(({ text }) => stdout.includes(text))) wait.resolve();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  void exited.then(() => clearTimeout(timer));
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    signal: (signal) => child.kill(signal),
    printed: (text) =>
      Promise.race([
        new Promise<void>((resolve) => (stdout.includes(text) ? resolve() : waiting.push({ text, resolve }))),
        exited.then(() => {
          throw new Error(`${runtime} ${file} exited before printing ${JSON.stringify(text)}:\n${stdout}\n${stderr}`);
        }),
      ]),
  };
}

/** An app that serves on APP_PORT, started with the meter on a port of its own, once it printed "listening". */
async function servingApp(runtime: Runtime, file: string, env: Record<string, string> = {}) {
  const [meterPort, appPort] = [await freePort(), await freePort()];
  const app = startApp(runtime, file, { RUNOMETER_PORT: String(meterPort), APP_PORT: String(appPort), ...env });
  await app.printed('listening\n');
  return { app, meterPort, appPort };
}

interface JsonPoint {
  readonly tags: Record<string, string>;
  readonly fields: Record<string, number | string | boolean | { buckets: number[] }>;
}

async function scrape(port: number): Promise<JsonPoint[]> {
  const response = await fetch(`http://127.0.0.1:${port}/?format=json`);
  expect(response.status).toBe(200);
  // One snapshot, or (an aggregate's) a list of them.
  const body = (await response.json()) as { points: JsonPoint[] } | { points: JsonPoint[] }[];
  return Array.isArray(body) ? body.flatMap(({ points }) => points) : body.points;
}

const HTTP_KEYS = catalogOf(HttpPreset).map(({ key }) => key);
/** The four presets' fields whose presence a condition of the machine decides (a cgroup limit, what is open). */
const CONDITIONAL_KEYS = new Set(
  Object.values(PRESETS)
    .flatMap((preset) => catalogOf(preset))
    .filter((entry) => entry.when !== undefined)
    .map(({ key }) => key),
);

describe.each(EVERY_RUNTIME)('%s', (runtime) => {
  test('a bare node:http server: every field its presets measure there, the tags, and the requests it served', async () => {
    const { app, meterPort, appPort } = await servingApp(runtime, 'http-server.js', { RUNOMETER_TAGS: 'app=checkout,env=prod' });
    try {
      const before = await scrape(meterPort);
      for (const [method, path] of [
        ['GET', '/users/1'],
        ['GET', '/users/2'],
        ['GET', '/missing'],
        ['POST', '/orders'],
      ] as const) {
        await (await fetch(`http://127.0.0.1:${appPort}${path}`, { method, ...(method === 'POST' ? { body: 'order' } : {}) })).text();
      }
      // A render is served again for a second (server-hono's minRenderInterval): the next scrape gets a fresh one.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const points = await scrape(meterPort);

      const keys = (scraped: JsonPoint[]) => new Set(scraped.flatMap((point) => Object.keys(point.fields)));
      const { fields, series } = expectedKeys(knownRuntime(runtime));
      const sure = [...fields, ...Object.values(series).flat()];
      const unexpected = (scraped: JsonPoint[]) => [...keys(scraped)].filter((key) => !sure.includes(key) && !CONDITIONAL_KEYS.has(key));
      expect(sure.filter((key) => !keys(points).has(key))).toEqual([]);
      // Before any request of the app, the http preset's fields are absent; after, there where the runtime publishes requests.
      expect(unexpected(before)).toEqual([]);
      expect(unexpected(points).sort()).toEqual(seesNodeHttp(runtime) ? [...HTTP_KEYS].sort() : []);

      expect(points.filter((point) => point.tags['app'] !== 'checkout' || point.tags['env'] !== 'prod')).toEqual([]);
      // Four requests of the app; the meter's own scrapes are not among them.
      expect(servedRequests(points)).toEqual(
        seesNodeHttp(runtime) ? ['GET unmatched 2xx: 2', 'GET unmatched 4xx: 1', 'POST unmatched 2xx: 1'] : [],
      );
      expect(JSON.stringify(points)).not.toMatch(/\/users|\/orders|\/missing/);
      expect([app.stdout(), app.stderr()]).toEqual(['listening\n', '']);
    } finally {
      app.signal('SIGKILL');
      await app.exited;
    }
  });

  test('a short script exits by itself once its work is done, though the meter served it a scrape', async () => {
    const port = await freePort();
    const started = Date.now();
    const app = startApp(runtime, 'short.js', { RUNOMETER_PORT: String(port), SCRAPE_PORT: String(port) });
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect([app.stdout(), app.stderr()]).toEqual(['scraped: 200\ndone\n', '']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  test('refused variables: one line each on stderr, and the app runs as without the meter', async () => {
    const app = startApp(runtime, 'short.js', { RUNOMETER_PORT: '80a', RUNOMETER_TAGS: 'env', RUNOMETER_USERNAME: 'ops' });
    expect(await app.exited).toEqual({ code: 0, signal: null });
    expect([app.stdout(), app.stderr()]).toEqual([
      'done\n',
      [
        'runometer: RUNOMETER_PORT "80a" is not a port (an integer from 0 to 65535); the meter is off, the app runs without it',
        'runometer: RUNOMETER_TAGS "env" is not a comma-separated list of key=value; the meter is off, the app runs without it',
        'runometer: RUNOMETER_USERNAME is set without RUNOMETER_PASSWORD: basic auth needs both; the meter is off, the app runs without it',
        '',
      ].join('\n'),
    ]);
  });

  test('a port already in use: one line on stderr, and the app runs on', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const app = startApp(runtime, 'short.js', { RUNOMETER_PORT: String(port) });
      expect(await app.exited).toEqual({ code: 0, signal: null });
      expect([app.stdout(), app.stderr()]).toEqual([
        'done\n',
        `runometer: cannot serve on 127.0.0.1:${port}: the port is taken; the meter is off, the app runs without it\n`,
      ]);
    } finally {
      taken.close();
    }
  });

  test('SIGTERM: an app without a handler ends by the signal; one with a handler ends as its handler decides', async () => {
    for (const [onSigterm, ending, printed] of [
      ['', { code: null, signal: 'SIGTERM' }, 'listening\n'],
      ['close', { code: 0, signal: null }, 'listening\napp: SIGTERM\n'],
    ] as const) {
      const app = startApp(runtime, 'http-server.js', {
        RUNOMETER_PORT: String(await freePort()),
        APP_PORT: String(await freePort()),
        APP_ON_SIGTERM: onSigterm,
      });
      await app.printed('listening\n');
      app.signal('SIGTERM');
      expect(await app.exited).toEqual(ending);
      expect([app.stdout(), app.stderr()]).toEqual([printed, '']);
    }
  });

  test('pushing, SIGTERM flushes a last render to the target, then the signal ends the app', async () => {
    const target = await startTarget();
    try {
      const app = startApp(runtime, 'http-server.js', {
        RUNOMETER_PUSH_URL: `${target.origin}/write`,
        RUNOMETER_PUSH_INTERVAL: '600000',
        RUNOMETER_TAGS: 'app=checkout',
        APP_PORT: String(await freePort()),
      });
      await app.printed('listening\n');
      await target.requests(1);
      app.signal('SIGTERM');
      expect(await app.exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect(target.received.length).toBe(2);
      expect(target.received[1]!.body).toMatch(/^\w+,app=checkout,/);
      expect([app.stdout(), app.stderr()]).toEqual(['listening\n', '']);
    } finally {
      await target.close();
    }
  });

  test("RUNOMETER_OTLP=1: OTLP/HTTP (protobuf) to OpenTelemetry's endpoint, with the Resource, the tags and the requests the app served", async () => {
    const target = await startTarget((request) => ({ status: 200, headers: { 'Content-Type': request.headers['content-type']! } }));
    try {
      const appPort = await freePort();
      const app = startApp(runtime, 'http-server.js', {
        RUNOMETER_OTLP: '1',
        RUNOMETER_PUSH_INTERVAL: '600000',
        RUNOMETER_TAGS: 'app=checkout',
        OTEL_EXPORTER_OTLP_ENDPOINT: `${target.origin}/otlp`,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=checkout',
        OTEL_SERVICE_NAME: 'checkout',
        APP_PORT: String(appPort),
      });
      await app.printed('listening\n');
      await target.requests(1);
      for (const path of ['/users/1', '/users/2', '/missing']) await (await fetch(`http://127.0.0.1:${appPort}${path}`)).text();
      app.signal('SIGTERM');
      expect(await app.exited).toEqual({ code: null, signal: 'SIGTERM' });
      expect(target.received.map(({ url, headers }) => [url, headers['content-type'], headers['x-tenant']])).toEqual([
        ['/otlp/v1/metrics', 'application/x-protobuf', 'checkout'],
        ['/otlp/v1/metrics', 'application/x-protobuf', 'checkout'],
      ]);
      const [resourceMetrics] = (decodeRequest(target.received[1]!.bytes) as unknown as OtlpRequest).resourceMetrics;
      expect(resourceMetrics!.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'checkout' } }]);
      const metrics = resourceMetrics!.scopeMetrics.flatMap(({ metrics }) => metrics);
      const points = metrics.flatMap((metric) => Object.values(metric).flatMap((data) => (data as OtlpData).dataPoints ?? []));
      expect(
        points.filter((point) => !point.attributes.some(({ key, value }) => key === 'app' && value.stringValue === 'checkout')),
      ).toEqual([]);
      const duration = metrics.find(({ name }) => name === 'http.server.request.duration')?.['histogram'] as OtlpData | undefined;
      const attribute = (point: OtlpPoint, key: string) => point.attributes.find((attribute) => attribute.key === key)?.value.stringValue;
      expect(
        (duration?.dataPoints ?? []).map(
          (point) =>
            `${attribute(point, 'http.request.method')} ${attribute(point, 'http.route')} ${attribute(point, 'status_class')}: ${point.count}`,
        ),
      ).toEqual(seesNodeHttp(runtime) ? ['GET unmatched 2xx: 2', 'GET unmatched 4xx: 1'] : []);
      expect([app.stdout(), app.stderr()]).toEqual(['listening\n', '']);
    } finally {
      await target.close();
    }
  });
});

/** What the test reads of an ExportMetricsServiceRequest, decoded in OTLP/JSON's conventions (64-bit integers as strings). */
interface OtlpPoint {
  readonly attributes: { key: string; value: { stringValue?: string } }[];
  readonly count?: string;
}
interface OtlpData {
  readonly dataPoints?: OtlpPoint[];
}
interface OtlpRequest {
  readonly resourceMetrics: {
    resource: { attributes: unknown[] };
    scopeMetrics: { metrics: ({ name: string } & Record<string, unknown>)[] }[];
  }[];
}

/** The requests each app served, as `method route status_class: count` lines of the http preset's series. */
function servedRequests(points: JsonPoint[]): string[] {
  return points
    .filter((point) => 'http_request_duration_seconds' in point.fields)
    .map(({ tags, fields }) => {
      const { buckets } = fields['http_request_duration_seconds'] as { buckets: number[] };
      return `${tags['method']} ${tags['route']} ${tags['status_class']}: ${buckets.at(-1)}`;
    });
}

const FRAMEWORKS = [
  // Fastify publishes the route's template on its own channel; Express and Hono publish none.
  ['fastify', ['GET /users/:id 2xx: 2', 'GET unmatched 4xx: 1']],
  ['express', ['GET unmatched 2xx: 2', 'GET unmatched 4xx: 1']],
  ['hono', ['GET unmatched 2xx: 2', 'GET unmatched 4xx: 1']],
] as const;

describe.each(EVERY_RUNTIME)('%s, frameworks', (runtime) => {
  test.each(FRAMEWORKS)('a %s app: its requests by route where the framework tells it, never the raw path', async (framework, expected) => {
    const { app, meterPort, appPort } = await servingApp(runtime, 'framework-app.js', { FRAMEWORK: framework });
    try {
      for (const path of ['/users/1', '/users/2', '/missing']) await (await fetch(`http://127.0.0.1:${appPort}${path}`)).text();
      const points = await scrape(meterPort);
      expect(servedRequests(points)).toEqual(seesNodeHttp(runtime) ? expected : []);
      expect(JSON.stringify(points)).not.toMatch(/\/users\/\d|\/missing/);
      expect([app.stdout(), app.stderr()]).toEqual(['listening\n', '']);
    } finally {
      app.signal('SIGKILL');
      await app.exited;
    }
  });
});

/** The values the points have for the tag `tag`, each once, sorted. */
const valuesOf = (points: JsonPoint[], tag: string) => [...new Set(points.map((point) => point.tags[tag]))].sort();
const fieldOf = (points: JsonPoint[], key: string) => points.filter((point) => key in point.fields).map((point) => point.fields[key]);

// The preload runs in every node:cluster worker and, on Node, in every worker thread (they inherit
// --import); Bun and Deno run no preload in a worker thread.
describe.each(NODES)('%s, with workers', (runtime) => {
  test("a node:cluster app: the primary serves its workers' lines, each tagged, with the requests each served", async () => {
    const { app, meterPort, appPort } = await servingApp(runtime, 'cluster-app.js', { RUNOMETER_TAGS: 'app=checkout' });
    try {
      for (let i = 0; i < 6; i++) await (await fetch(`http://127.0.0.1:${appPort}/orders/${i}`)).text();
      const points = await scrape(meterPort);
      expect(valuesOf(points, 'worker')).toEqual(['1', '2', 'primary']);
      expect(valuesOf(points, 'app')).toEqual(['checkout']);
      expect([fieldOf(points, 'cluster_workers_asked'), fieldOf(points, 'cluster_workers_answered')]).toEqual([[2], [2]]);
      const served = points
        .filter((point) => 'http_request_duration_seconds' in point.fields)
        .map(
          ({ tags, fields }) =>
            [tags['worker'], tags['route'], (fields['http_request_duration_seconds'] as { buckets: number[] }).buckets.at(-1)!] as const,
        );
      expect(served.every(([worker, route]) => worker !== 'primary' && route === 'unmatched')).toBe(true);
      expect(served.reduce((sum, [, , count]) => sum + count, 0)).toBe(6);
      expect(app.stderr()).toBe('');
      app.signal('SIGTERM');
      expect(await app.exited).toEqual({ code: 0, signal: null });
    } finally {
      app.signal('SIGKILL');
      await app.exited;
    }
  });

  test("an app with a worker thread: the main thread serves the thread's lines, tagged thread", async () => {
    const meterPort = await freePort();
    const app = startApp(runtime, 'thread-app.js', { RUNOMETER_PORT: String(meterPort), RUNOMETER_TAGS: 'app=checkout' });
    try {
      await app.printed('listening\n');
      const points = await scrape(meterPort);
      expect(valuesOf(points, 'thread')).toEqual(['1', 'main']);
      expect(valuesOf(points, 'app')).toEqual(['checkout']);
      expect([fieldOf(points, 'worker_threads_asked'), fieldOf(points, 'worker_threads_answered')]).toEqual([[1], [1]]);
      expect(
        fieldOf(
          points.filter((point) => point.tags['thread'] === '1'),
          'heap_used_bytes',
        ),
      ).toHaveLength(1);
      expect([app.stdout(), app.stderr()]).toEqual(['listening\n', '']);
    } finally {
      app.signal('SIGKILL');
      await app.exited;
    }
  });
});

// Bun reads no NODE_OPTIONS: where the start command cannot take --preload, bunfig.toml's `preload`
// can, read from the folder Bun starts in (e2e/fixtures/auto/bunfig/).
describe('bun, with bunfig.toml', () => {
  test('`preload` in bunfig.toml starts the meter with no flag on the command line; started elsewhere, the same app has none', async () => {
    const port = await freePort();
    const env = { RUNOMETER_PORT: String(port), SCRAPE_PORT: String(port) };
    const preloaded = startApp('bun', 'short.js', env, { flag: false, cwd: fixture('bunfig') });
    expect(await preloaded.exited).toEqual({ code: 0, signal: null });
    expect([preloaded.stdout(), preloaded.stderr()]).toEqual(['scraped: 200\ndone\n', '']);
    const plain = startApp('bun', 'short.js', env, { flag: false });
    expect((await plain.exited).code).not.toBe(0);
    expect(plain.stdout()).toBe('');
    expect(plain.stderr()).toContain('Unable to connect');
  });
});
