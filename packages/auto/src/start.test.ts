import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, test } from 'vitest';
import { startTarget } from '../../push/test/target.js';
import { startAuto, type AutoMeter } from './start.js';

// An app folder with no package installed: the meter finds no preset there.
const app = mkdtempSync(join(tmpdir(), 'runometer-auto-app-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));

const started: AutoMeter[] = [];
afterEach(async () => {
  for (const auto of started.splice(0)) await auto.close();
});

/** startAuto() in the app folder with `env` (and the app's `entry` file), and the lines it reported. */
async function start(env: Record<string, string>, entry?: string): Promise<{ auto: AutoMeter | undefined; lines: string[] }> {
  const lines: string[] = [];
  const auto = await startAuto({ env, entry, cwd: app, report: (line) => lines.push(line) });
  if (auto !== undefined) started.push(auto);
  return { auto, lines };
}

const OFF = 'the meter is off, the app runs without it';

test('disabled: nothing starts, and nothing is said, not even of a variable it would refuse', async () => {
  expect(await start({ RUNOMETER_DISABLED: '1', RUNOMETER_PORT: 'http' })).toEqual({ auto: undefined, lines: [] });
  expect(await start({ RUNOMETER_DISABLED: 'maybe' })).toEqual({
    auto: undefined,
    lines: [`runometer: RUNOMETER_DISABLED "maybe" is not one of 1, true, yes, on, 0, false, no, off; ${OFF}`],
  });
});

test.each(['/usr/bin/npm', '/usr/lib/node_modules/npm/bin/npm-cli.js', '/usr/local/bin/pnpm', '/opt/yarn/bin/yarn.js'])(
  'in a package manager (NODE_OPTIONS reaches `npm start` too), nothing starts: the app it runs has the port (%s)',
  async (entry) => {
    expect(await start({ RUNOMETER_PORT: '0' }, entry)).toEqual({ auto: undefined, lines: [] });
  },
);

test('under PM2, each instance serves on RUNOMETER_PORT + NODE_APP_INSTANCE, tagged with it', async () => {
  const taken = createServer().listen(0, '127.0.0.1');
  await once(taken, 'listening');
  const base = (taken.address() as { port: number }).port;
  taken.close();
  const { auto } = await start(
    { RUNOMETER_PORT: String(base - 2), NODE_APP_INSTANCE: '2', RUNOMETER_MEASUREMENT: 'pm2' },
    '/srv/app/server.js',
  );
  expect(auto!.server!.port).toBe(base);
  auto!.meter.addField('up', () => 1, { type: 'integer' });
  expect(await (await fetch(auto!.server!.url)).text()).toBe('pm2,instance=2 up=1i\n');
});

test('every refused variable in one line each, and nothing starts', async () => {
  expect(
    await start({
      RUNOMETER_PORT: '0',
      RUNOMETER_MEASUREMENT: '#checkout',
      RUNOMETER_TAGS: 'time=now',
      RUNOMETER_PATH: 'metrics',
      RUNOMETER_TOKEN: 'with space',
      RUNOMETER_PUSH_URL: 'ftp://127.0.0.1/write',
    }),
  ).toEqual({
    auto: undefined,
    lines: [
      `runometer: RUNOMETER_MEASUREMENT "#checkout": measurement name "#checkout" starts with "#", which makes its line a comment; ${OFF}`,
      `runometer: RUNOMETER_TAGS "time=now": tag key "time" is reserved: InfluxDB 1.x rejects it; ${OFF}`,
      `runometer: RUNOMETER_PATH "metrics": path must start with "/", got "metrics"; ${OFF}`,
      `runometer: RUNOMETER_TOKEN (set): auth.token has a space: a bearer token is letters, digits and -._~+/ with optional trailing "=" (RFC 6750), or no header can carry it; ${OFF}`,
      `runometer: RUNOMETER_PUSH_URL "ftp://127.0.0.1/write": Pusher option url must be http or https, got "ftp://127.0.0.1/write"; ${OFF}`,
    ],
  });
});

test('RUNOMETER_PRESETS naming a package the app does not resolve', async () => {
  expect(await start({ RUNOMETER_PORT: '0', RUNOMETER_PRESETS: 'memory,@acme/preset-redis' })).toEqual({
    auto: undefined,
    lines: [`runometer: RUNOMETER_PRESETS names @runometer/preset-memory, @acme/preset-redis, which the app does not resolve; ${OFF}`],
  });
});

test('a taken port is reported, not thrown, and the meter closes', async () => {
  const taken = createServer().listen(0, '127.0.0.1');
  await once(taken, 'listening');
  const port = (taken.address() as { port: number }).port;
  try {
    expect(await start({ RUNOMETER_PORT: String(port) })).toEqual({
      auto: undefined,
      lines: [`runometer: cannot serve on 127.0.0.1:${port}: the port is taken; ${OFF}`],
    });
  } finally {
    taken.close();
  }
});

test('served on the port and path given, with the auth given, tagged', async () => {
  const { auto, lines } = await start({
    RUNOMETER_PORT: '0',
    RUNOMETER_PATH: '/ops',
    RUNOMETER_TOKEN: 't0ken',
    RUNOMETER_TAGS: 'app=checkout',
    RUNOMETER_MEASUREMENT: 'checkout',
  });
  expect(lines).toEqual([]);
  expect([auto?.presetPackages, auto?.pusher]).toEqual([[], undefined]);
  const url = auto!.server!.url;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ops$/);
  expect((await fetch(url)).status).toBe(401);
  expect((await fetch(url, { headers: { Authorization: 'Bearer t0ken' } })).status).toBe(200);
  expect((await fetch(url.replace('/ops', '/metrics'), { headers: { Authorization: 'Bearer t0ken' } })).status).toBe(404);
});

test('pushed, not served, when RUNOMETER_PUSH_URL is set; close() pushes a last render', async () => {
  const target = await startTarget();
  try {
    const { auto, lines } = await start({
      RUNOMETER_PUSH_URL: `${target.origin}/write`,
      RUNOMETER_PUSH_TOKEN: 'user:pass',
      RUNOMETER_PUSH_INTERVAL: '600000',
      RUNOMETER_TAGS: 'app=job',
      RUNOMETER_MEASUREMENT: 'job',
    });
    expect(lines).toEqual([]);
    expect(auto!.server).toBeUndefined();
    const [first] = await target.requests(1);
    await auto!.close();
    const [, last] = await target.requests(2);
    for (const request of [first!, last!]) {
      expect([request.url, request.headers['authorization']]).toEqual(['/write', 'Token user:pass']);
      expect(request.body).toMatch(/^job,app=job push_points_sent_total=\d+i,/);
    }
  } finally {
    await target.close();
  }
});

test('pushed and served when RUNOMETER_PORT is set beside RUNOMETER_PUSH_URL', async () => {
  const target = await startTarget();
  try {
    const { auto } = await start({ RUNOMETER_PUSH_URL: `${target.origin}/write`, RUNOMETER_PORT: '0' });
    expect([auto!.server === undefined, auto!.pusher === undefined]).toEqual([false, false]);
    await auto!.close();
  } finally {
    await target.close();
  }
});

test("pushed as OTLP/HTTP, not served, when RUNOMETER_OTLP is set: where and as OpenTelemetry's variables say, the tags on every point", async () => {
  const target = await startTarget();
  try {
    const { auto, lines } = await start({
      RUNOMETER_OTLP: '1',
      RUNOMETER_PUSH_INTERVAL: '600000',
      RUNOMETER_TAGS: 'app=job',
      RUNOMETER_MEASUREMENT: 'job',
      OTEL_EXPORTER_OTLP_ENDPOINT: `${target.origin}/otlp`,
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'job',
    });
    expect(lines).toEqual([]);
    expect(auto!.server).toBeUndefined();
    const [request] = await target.requests(1);
    expect([request!.url, request!.headers['content-type'], request!.headers['authorization']]).toEqual([
      '/otlp/v1/metrics',
      'application/json',
      'Bearer abc',
    ]);
    const [resourceMetrics] = JSON.parse(request!.body).resourceMetrics;
    expect(resourceMetrics.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: 'job' } }]);
    const metrics: { name: string; sum?: { dataPoints: { attributes: unknown }[] } }[] = resourceMetrics.scopeMetrics[0].metrics;
    expect(metrics.map(({ name }) => name)).toEqual([
      'job.push_points_sent_total',
      'job.push_points_dropped_total',
      'job.push_points_refused_total',
      'job.push_retries_total',
      'job.push_buffered_points',
    ]);
    expect(metrics[0]!.sum!.dataPoints.map(({ attributes }) => attributes)).toEqual([[{ key: 'app', value: { stringValue: 'job' } }]]);
    await auto!.close();
  } finally {
    await target.close();
  }
});

test('a refused OpenTelemetry variable, with RUNOMETER_OTLP, is one line naming it, and nothing starts', async () => {
  expect(await start({ RUNOMETER_OTLP: '1', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toEqual({
    auto: undefined,
    lines: [
      'runometer: OTEL_EXPORTER_OTLP_PROTOCOL is "grpc", which the pusher does not speak (fetch has no HTTP/2 trailers): give http/protobuf or http/json, ' +
        `and the receiver's OTLP/HTTP endpoint (port 4318); ${OFF}`,
    ],
  });
});
