import { Runometer, toPrometheusProtobuf, type SnapshotSource } from '@runometer/core';
import { Hono } from 'hono';
import { gunzipSync, inflateSync } from 'node:zlib';
import { describe, expect, test, vi } from 'vitest';
import { createApp } from './app.js';
import { metrics } from './metrics.js';

function exampleMeter() {
  return new Runometer('app')
    .addTag('host', 'h1')
    .addField('requests', () => 12, { type: 'integer', kind: 'counter', help: 'Requests served.' })
    .addField('up', () => true, { type: 'boolean', help: 'Whether it is up.' })
    .addField('version', () => '1.2', { type: 'string' })
    .addSeries('queues', () => [{ tags: { queue: 'mail' }, fields: { depth: 3 } }], {
      tags: ['queue'],
      fields: { depth: { help: 'Queue depth.' } },
    });
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

  const statuses = async (app: Hono, paths: string[]) => Promise.all(paths.map(async (path) => (await app.request(path)).status));
  const PATHS = ['/', '/metrics', '/metrics/', '/stats', '/stats/', '/other', '/metrics/other', '//'];

  test('serves / and /metrics (with or without a trailing slash) by default; other paths get 404', async () => {
    expect(await statuses(createApp(exampleMeter()), PATHS)).toEqual([200, 200, 200, 404, 404, 404, 404, 404]);
  });

  test.each([
    ['/stats', [404, 404, 404, 200, 200, 404, 404, 404]],
    ['/stats/', [404, 404, 404, 200, 200, 404, 404, 404]],
    ['/metrics', [404, 200, 200, 404, 404, 404, 404, 404]],
    ['/', [200, 404, 404, 404, 404, 404, 404, 404]],
  ])('path %s serves only that path, with or without a trailing slash', async (path, expected) => {
    expect(await statuses(createApp(exampleMeter(), { path }), PATHS)).toEqual(expected);
  });

  test('refuses a path that does not start with a slash', () => {
    expect(() => createApp(exampleMeter(), { path: 'metrics' })).toThrow(new TypeError('path must start with "/", got "metrics"'));
  });

  test('mounts inside an app of your own, and serves as middleware', async () => {
    const meter = exampleMeter();
    const app = new Hono().get('/home', (c) => c.text('home')).route('/', createApp(meter));
    expect(await (await app.request('/metrics')).text()).toBe(LINE_PROTOCOL);
    expect(await (await app.request('/home')).text()).toBe('home');
    const under = new Hono().route('/stats', createApp(meter, { path: '/' }));
    expect(await (await under.request('/stats')).text()).toBe(LINE_PROTOCOL);
    const withMiddleware = new Hono().get('/metrics', metrics(meter)).use('/stats', metrics(meter));
    expect(await (await withMiddleware.request('/metrics')).text()).toBe(LINE_PROTOCOL);
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
      {
        Accept:
          'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      },
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
        'json (application/json), protobuf (application/vnd.google.protobuf); ask with Accept or ?format=\n',
    );
  });

  test('Prometheus with native histograms gets the protobuf exposition: the bytes core writes, their length, and gzipped', async () => {
    const accept =
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,*/*;q=0.1';
    const expected = toPrometheusProtobuf(await exampleMeter().collect());
    const app = createApp(exampleMeter());
    const response = await app.request('/', { headers: { Accept: accept } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
    );
    expect(response.headers.get('content-length')).toBe(String(expected.length));
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(expected);
    const big = new Runometer('big');
    for (let i = 0; i < 100; i++) big.addField(`field_${i}`, () => i, { type: 'integer' });
    const gzipped = await createApp(big).request('/', { headers: { Accept: accept, 'Accept-Encoding': 'gzip' } });
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(new Uint8Array(gunzipSync(new Uint8Array(await gzipped.arrayBuffer())))).toEqual(toPrometheusProtobuf(await big.collect()));
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

  test("gzip comes from the render: every format, with the compressed body's length, the same bytes for every scrape of one render", async () => {
    const app = createApp(big());
    const gzip = { 'Accept-Encoding': 'gzip, deflate, br' };
    for (const format of ['influx', 'prometheus', 'openmetrics', 'json']) {
      const plain = await (await app.request(`/?format=${format}`)).text();
      const [first, second] = [
        await app.request(`/?format=${format}`, { headers: gzip }),
        await app.request(`/?format=${format}`, { headers: gzip }),
      ];
      const bytes = Buffer.from(await first.arrayBuffer());
      expect([first.headers.get('content-encoding'), first.headers.get('content-length'), first.headers.get('vary')]).toEqual([
        'gzip',
        String(bytes.length),
        'Accept, Accept-Encoding',
      ]);
      expect(gunzipSync(bytes).toString()).toBe(plain);
      expect(Buffer.from(await second.arrayBuffer())).toEqual(bytes);
    }
  });

  test.each([
    ['gzip;q=0.5, deflate', 'deflate'],
    ['deflate', 'deflate'],
    ['gzip;q=0', null],
    ['identity', null],
  ])('Accept-Encoding %j is answered with %s', async (acceptEncoding, encoding) => {
    const app = createApp(big());
    const expected = await (await app.request('/')).text();
    const response = await app.request('/', { headers: { 'Accept-Encoding': acceptEncoding } });
    expect(response.headers.get('content-encoding')).toBe(encoding);
    const body = Buffer.from(await response.arrayBuffer());
    expect((encoding === 'deflate' ? inflateSync(body) : body).toString()).toBe(expected);
  });

  test('HEAD and a body under 1 KiB are not compressed', async () => {
    const app = createApp(big());
    const head = await app.request('/', { method: 'HEAD', headers: { 'Accept-Encoding': 'gzip' } });
    expect([head.headers.get('content-encoding'), head.headers.get('content-length')]).toEqual([
      null,
      String((await (await app.request('/')).arrayBuffer()).byteLength),
    ]);
    const small = await createApp(exampleMeter()).request('/', { headers: { 'Accept-Encoding': 'gzip' } });
    expect([small.headers.get('content-encoding'), await small.text()]).toEqual([null, LINE_PROTOCOL]);
  });
});

describe('renders', () => {
  /** A meter whose field counts its renders. */
  const countingMeter = () => {
    let renders = 0;
    return new Runometer('m').addField('n', () => ++renders, { type: 'integer' });
  };

  test('a render is served again for minRenderInterval ms (default 1000) after it ended, then made anew', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const app = createApp(countingMeter());
      expect(await (await app.request('/')).text()).toBe('m n=1i\n');
      vi.advanceTimersByTime(999);
      expect(await (await app.request('/')).text()).toBe('m n=1i\n');
      expect(await (await app.request('/?format=json')).text()).toBe('{"measurement":"m","points":[{"tags":{},"fields":{"n":1}}]}');
      vi.advanceTimersByTime(1);
      expect(await (await app.request('/')).text()).toBe('m n=2i\n');
    } finally {
      vi.useRealTimers();
    }
  });

  test('minRenderInterval sets the interval', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const app = createApp(countingMeter(), { minRenderInterval: 10_000 });
      expect(await (await app.request('/')).text()).toBe('m n=1i\n');
      vi.advanceTimersByTime(9_999);
      expect(await (await app.request('/')).text()).toBe('m n=1i\n');
      vi.advanceTimersByTime(1);
      expect(await (await app.request('/')).text()).toBe('m n=2i\n');
    } finally {
      vi.useRealTimers();
    }
  });

  test('with minRenderInterval 0 every scrape renders, and simultaneous scrapes share one render in flight', async () => {
    let builds = 0;
    const meter = new Runometer('m')
      .addContextBuilder(async () => {
        builds++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { n: builds };
      })
      .addField('n', (ctx) => ctx.n, { type: 'integer' });
    const app = createApp(meter, { minRenderInterval: 0 });
    const bodies = await Promise.all([app.request('/'), app.request('/?format=json'), app.request('/')].map(async (r) => (await r).text()));
    expect(builds).toBe(1);
    expect(bodies).toEqual(['m n=1i\n', JSON.stringify({ measurement: 'm', points: [{ tags: {}, fields: { n: 1 } }] }), 'm n=1i\n']);
    expect(await (await app.request('/')).text()).toBe('m n=2i\n');
  });

  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '1000', null])('minRenderInterval %j is refused', (minRenderInterval) => {
    expect(() => createApp(countingMeter(), { minRenderInterval: minRenderInterval as number })).toThrow(RangeError);
    expect(() => createApp(countingMeter(), { minRenderInterval: minRenderInterval as number })).toThrow(
      /^minRenderInterval must be a finite number of milliseconds ≥ 0, got /,
    );
  });

  test('Content-Length is the body in UTF-8 bytes, on GET and on HEAD', async () => {
    const app = createApp(new Runometer('m').addTag('city', 'Zürich').addField('n', () => 1, { type: 'integer' }));
    const get = await app.request('/');
    expect(await get.text()).toBe('m,city=Zürich n=1i\n');
    expect(get.headers.get('content-length')).toBe('20');
    const head = await app.request('/', { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe('20');
    expect(await head.text()).toBe('');
  });

  test('a render that fails answers 500 with a short message, is not kept, and the next scrape is served', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const flaky: SnapshotSource = {
      collect: () => (++calls === 1 ? Promise.reject(new Error('disk on fire')) : Promise.resolve({ measurement: 'm', points: [] })),
    };
    const app = createApp(flaky, { onError: (error) => errors.push(error) });
    const failed = await app.request('/');
    expect(failed.status).toBe(500);
    expect(await failed.text()).toBe('Internal Server Error: the render failed\n');
    expect(errors).toEqual([new Error('disk on fire')]);
    const next = await app.request('/');
    expect(next.status).toBe(200);
    expect(calls).toBe(2);
  });
});

describe('the source', () => {
  test.each([
    [null, 'expected a snapshot source to serve (an object with collect(), such as a Runometer), got null'],
    [undefined, 'expected a snapshot source to serve (an object with collect(), such as a Runometer), got undefined'],
    [42, 'expected a snapshot source to serve (an object with collect(), such as a Runometer), got number 42'],
    ['app', 'expected a snapshot source to serve (an object with collect(), such as a Runometer), got string "app"'],
    [{ render: () => '' }, 'expected a snapshot source to serve (an object with collect(), such as a Runometer), got an object (Object)'],
    [new Hono(), 'expected a snapshot source to serve (an object with collect(), such as a Runometer), got an object (Hono)'],
    [{ collect: () => Promise.resolve([]), name: 7 }, 'source.name must be a string, got number 7'],
    [{ collect: () => Promise.resolve([]), closed: 'no' }, 'source.closed must be a boolean, got string "no"'],
  ])('%j is refused at once by createApp and metrics', (source, message) => {
    expect(() => createApp(source as unknown as SnapshotSource)).toThrow(new TypeError(message));
    expect(() => metrics(source as unknown as SnapshotSource)).toThrow(new TypeError(message));
  });

  test('a source with neither name nor closed is served, and named "the snapshot source" once it says it is closed', async () => {
    const source: { collect(): Promise<[]>; closed?: boolean } = { collect: () => Promise.resolve([]) };
    const app = createApp(source, { minRenderInterval: 0 });
    const served = await app.request('/?format=json');
    expect([served.status, await served.text()]).toEqual([200, '[]']);
    source.closed = true;
    const closed = await app.request('/');
    expect([closed.status, await closed.text()]).toEqual([503, 'Service Unavailable: the snapshot source is closed\n']);
    expect(() => createApp(source)).toThrow(
      new TypeError('the snapshot source is closed: a closed source renders no more, serve an open one'),
    );
  });

  test('a closed meter is refused at once', async () => {
    const meter = exampleMeter();
    await meter.close();
    expect(() => createApp(meter)).toThrow(new TypeError('source "app" is closed: a closed source renders no more, serve an open one'));
  });

  test('a meter closed while served answers 503 saying so, even within the interval of its last render', async () => {
    const meter = exampleMeter();
    const errors: unknown[] = [];
    const app = createApp(meter, { onError: (error) => errors.push(error), minRenderInterval: 60_000 });
    expect((await app.request('/')).status).toBe(200);
    await meter.close();
    for (const query of ['/', '/?format=json']) {
      const response = await app.request(query);
      expect(response.status).toBe(503);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toBe('Service Unavailable: source "app" is closed\n');
    }
    expect(errors).toEqual([]);
  });

  test('onError must be a function', () => {
    expect(() => createApp(exampleMeter(), { onError: 'log' as unknown as () => void })).toThrow(
      new TypeError('onError must be a function, got string "log"'),
    );
  });
});
