import { Runometer, type Snapshot } from '@runometer/core';
import { Hono } from 'hono';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test, vi } from 'vitest';
import { createApp } from './app.js';
import { metrics } from './metrics.js';

function exampleMeter() {
  return new Runometer('app')
    .addTag('host', 'h1')
    .addField('requests', () => 12, { type: 'integer', kind: 'counter', help: 'Requests served.' })
    .addField('up', () => true, { type: 'boolean', help: 'Whether it is up.' })
    .addField('version', () => '1.2', { type: 'string' })
    .addSeries('queues', () => [{ tags: { queue: 'mail' }, fields: { depth: 3 } }], { tags: ['queue'], fields: { depth: { help: 'Queue depth.' } } });
}

const LINE_PROTOCOL = 'app,host=h1 requests=12i,up=true,version="1.2"\napp,host=h1,queue=mail depth=3\n';

describe('createApp', () => {
  test('GET answers line protocol, as text that no cache keeps', async () => {
    const response = await createApp(exampleMeter()).request('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).toBe(LINE_PROTOCOL);
  });

  test('HEAD answers the same headers and no body', async () => {
    const response = await createApp(exampleMeter()).request('/', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  test.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s gets 405 with Allow', async (method) => {
    const response = await createApp(exampleMeter()).request('/', { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  test('other paths get 404', async () => {
    expect((await createApp(exampleMeter()).request('/other')).status).toBe(404);
    expect((await createApp(exampleMeter(), { path: '/metrics' }).request('/')).status).toBe(404);
    expect((await createApp(exampleMeter(), { path: '/metrics' }).request('/metrics')).status).toBe(200);
  });

  test('refuses a path that does not start with a slash', () => {
    expect(() => createApp(exampleMeter(), { path: 'metrics' })).toThrow(new TypeError('path must start with "/", got "metrics"'));
  });

  test('mounts inside an app of your own, and serves as middleware', async () => {
    const meter = exampleMeter();
    const app = new Hono().route('/metrics', createApp(meter)).get('/', (c) => c.text('home'));
    expect(await (await app.request('/metrics')).text()).toBe(LINE_PROTOCOL);
    expect(await (await app.request('/')).text()).toBe('home');
    const withMiddleware = new Hono().use('/stats', metrics(meter));
    expect(await (await withMiddleware.request('/stats')).text()).toBe(LINE_PROTOCOL);
  });
});

describe('formats', () => {
  const PROMETHEUS = [
    '# HELP app_requests_total Requests served.',
    '# TYPE app_requests_total counter',
    'app_requests_total{host="h1"} 12',
    '# HELP app_up Whether it is up.',
    '# TYPE app_up gauge',
    'app_up{host="h1"} 1',
    '# HELP app_depth Queue depth.',
    '# TYPE app_depth gauge',
    'app_depth{host="h1",queue="mail"} 3',
    '',
  ].join('\n');
  const OPENMETRICS = [
    '# HELP app_requests Requests served.',
    '# TYPE app_requests counter',
    'app_requests_total{host="h1"} 12',
    '# HELP app_up Whether it is up.',
    '# TYPE app_up gauge',
    'app_up{host="h1"} 1',
    '# HELP app_depth Queue depth.',
    '# TYPE app_depth gauge',
    'app_depth{host="h1",queue="mail"} 3',
    '# EOF',
    '',
  ].join('\n');
  const JSON_BODY = JSON.stringify({
    measurement: 'app',
    points: [
      { tags: { host: 'h1' }, fields: { requests: 12, up: true, version: '1.2' } },
      { series: 'queues', tags: { host: 'h1', queue: 'mail' }, fields: { depth: 3 } },
    ],
  });

  test.each([
    ['?format=influx', {}, 'text/plain; charset=utf-8', LINE_PROTOCOL],
    ['?format=prometheus', {}, 'text/plain; version=0.0.4; charset=utf-8', PROMETHEUS],
    ['?format=openmetrics', {}, 'application/openmetrics-text; version=1.0.0; charset=utf-8', OPENMETRICS],
    ['?format=json', {}, 'application/json; charset=utf-8', JSON_BODY],
    ['', { Accept: 'text/plain;version=0.0.4' }, 'text/plain; version=0.0.4; charset=utf-8', PROMETHEUS],
    // What Prometheus 2.42 sends.
    [
      '',
      { Accept: 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1' },
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
      OPENMETRICS,
    ],
    ['', { Accept: 'application/json' }, 'application/json; charset=utf-8', JSON_BODY],
    ['', { Accept: 'text/plain' }, 'text/plain; charset=utf-8', LINE_PROTOCOL],
    ['', { Accept: '*/*' }, 'text/plain; charset=utf-8', LINE_PROTOCOL],
    ['', { Accept: 'image/png, application/json;q=0.5' }, 'application/json; charset=utf-8', JSON_BODY],
    ['?format=prometheus', { Accept: 'application/json' }, 'text/plain; version=0.0.4; charset=utf-8', PROMETHEUS],
  ])('%s with %j answers %s', async (query, headers, contentType, body) => {
    const response = await createApp(exampleMeter()).request(`/${query}`, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(await response.text()).toBe(body);
  });

  test.each([
    ['?format=xml', {}],
    ['', { Accept: 'image/png' }],
    ['', { Accept: 'application/json;q=0' }],
  ])('%s with %j gets 406 and the list of formats', async (query, headers) => {
    const response = await createApp(exampleMeter()).request(`/${query}`, { headers });
    expect(response.status).toBe(406);
    expect(await response.text()).toBe(
      'Not Acceptable: this endpoint serves influx (text/plain), prometheus (text/plain), openmetrics (application/openmetrics-text), ' +
        'json (application/json); ask with Accept or ?format=\n',
    );
  });

  test('JSON writes integers beyond 2^53 as strings, and the timestamp when the meter stamps', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
    const meter = new Runometer('m', { timestamps: true }).addField('big', () => 2n ** 60n, { type: 'integer' }).addField('small', () => 5n, { type: 'integer' });
    const body = await (await createApp(meter).request('/?format=json')).json();
    vi.useRealTimers();
    expect(body).toEqual({ measurement: 'm', timestamp: '1700000000000000000', points: [{ tags: {}, fields: { big: '1152921504606846976', small: 5 } }] });
  });

  test('Prometheus names and labels are made valid, and label values and help escaped', async () => {
    const meter = new Runometer('my-app.v2')
      .addTag('zone name', 'eu "west"\\1')
      .addField('2xx', () => 1, { help: 'Line one\nline \\ two' })
      .addField('bytes_total', () => 9, { type: 'integer', kind: 'counter' });
    expect(await (await createApp(meter).request('/?format=prometheus')).text()).toBe(
      [
        '# HELP my_app_v2_2xx Line one\\nline \\\\ two',
        '# TYPE my_app_v2_2xx gauge',
        'my_app_v2_2xx{zone_name="eu \\"west\\"\\\\1"} 1',
        '# HELP my_app_v2_bytes_total bytes_total of my-app.v2',
        '# TYPE my_app_v2_bytes_total counter',
        'my_app_v2_bytes_total{zone_name="eu \\"west\\"\\\\1"} 9',
        '',
      ].join('\n'),
    );
  });
});

describe('auth', () => {
  test.each([
    [undefined, 'Bearer'],
    ['Bearer wrong', 'Bearer'],
  ])('a bearer token app refuses %s with 401 and WWW-Authenticate', async (authorization, scheme) => {
    const app = createApp(exampleMeter(), { auth: { token: 's3cret' } });
    const response = await app.request('/', { headers: authorization ? { Authorization: authorization } : {} });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(new RegExp(`^${scheme}`));
  });

  test('a bearer token app answers the right token', async () => {
    const app = createApp(exampleMeter(), { auth: { token: 's3cret' } });
    const response = await app.request('/', { headers: { Authorization: 'Bearer s3cret' } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(LINE_PROTOCOL);
  });

  test('a basic auth app refuses wrong credentials and answers the right ones', async () => {
    const app = createApp(exampleMeter(), { auth: { username: 'telegraf', password: 'pw' } });
    const basic = (user: string, password: string) => ({ Authorization: `Basic ${btoa(`${user}:${password}`)}` });
    const refused = await app.request('/', { headers: basic('telegraf', 'nope') });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await app.request('/')).status).toBe(401);
    expect((await app.request('/', { headers: basic('telegraf', 'pw') })).status).toBe(200);
  });

  test('bad auth options fail at once', () => {
    expect(() => createApp(exampleMeter(), { auth: { token: '' } })).toThrow(new TypeError('auth.token must be a non-empty string'));
    expect(() => createApp(exampleMeter(), { auth: { username: '', password: 'x' } })).toThrow(
      new TypeError('auth must be { token } or { username, password } with a non-empty username'),
    );
  });
});

describe('compression', () => {
  const big = () => {
    const meter = new Runometer('big');
    for (let i = 0; i < 100; i++) meter.addField(`field_${i}`, () => i, { type: 'integer' });
    return meter;
  };

  test('gzips when Accept-Encoding asks for it, and only then', async () => {
    const app = createApp(big());
    const plain = await app.request('/');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const expected = await plain.text();
    const gzipped = await app.request('/', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString()).toBe(expected);
  });
});

describe('renders', () => {
  test('simultaneous scrapes share one render in flight', async () => {
    let builds = 0;
    const meter = new Runometer('m')
      .addContextBuilder(async () => {
        builds++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { n: builds };
      })
      .addField('n', (ctx) => ctx.n, { type: 'integer' });
    const app = createApp(meter);
    const bodies = await Promise.all([app.request('/'), app.request('/?format=json'), app.request('/')].map(async (r) => (await r).text()));
    expect(builds).toBe(1);
    expect(bodies).toEqual(['m n=1i\n', JSON.stringify({ measurement: 'm', points: [{ tags: {}, fields: { n: 1 } }] }), 'm n=1i\n']);
    expect(await (await app.request('/')).text()).toBe('m n=2i\n');
  });

  test('a render that fails answers 500 with a short message, and the next scrape is served', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const flaky = {
      collect: (): Promise<Snapshot> =>
        ++calls === 1 ? Promise.reject(new Error('disk on fire')) : Promise.resolve({ measurement: 'm', points: [] }),
    } as unknown as Runometer;
    const app = createApp(flaky, { onError: (error) => errors.push(error) });
    const failed = await app.request('/');
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('Internal Server Error: the render failed\n');
    expect(errors).toEqual([new Error('disk on fire')]);
    expect((await app.request('/')).status).toBe(200);
  });
});
