import { Runometer, toJson } from '@runometer/core';
import express from 'express';
import { Hono } from 'hono';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { runOn } from '../../../../test/runtimes.js';
import { createApp } from '../app.js';
import { metrics } from '../metrics.js';
import { fetchHandler, metricsApp, requestListener } from '../mount.js';
import { PAGE_BEFORE_CONFIG } from './page.generated.js';

const CHROME =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const PROMETHEUS_3 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const TELEGRAF_PROMETHEUS =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.1';
const HTML = 'text/html; charset=utf-8';
const POLL = { Accept: 'application/json' };

const meter = () => new Runometer('app').addTag('host', 'h1').addField('requests', () => 12, { type: 'integer', kind: 'counter' });
const JSON_BODY = toJson(await meter().collect());

type Requester = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

/** The content type and how the body starts: enough to tell the page from each format. */
async function answer(app: Requester, path: string, headers: Record<string, string> = {}, method = 'GET') {
  const response = await app.request(path, { headers, method });
  const body = await response.text();
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: body.startsWith('<!doctype html>') ? 'the page' : body,
  };
}

const page = { status: 200, type: HTML, body: 'the page' };
const json = { status: 200, type: 'application/json; charset=utf-8', body: JSON_BODY };
const LINE_PROTOCOL = 'app,host=h1 requests=12i\n';
const lineProtocol = { status: 200, type: 'text/plain; charset=utf-8', body: LINE_PROTOCOL };

describe('the endpoint answers a browser the page, and every other client what it got before', () => {
  test.each([
    ['Chrome', { Accept: CHROME }, page],
    ['curl', { Accept: '*/*' }, lineProtocol],
    ["Telegraf's inputs.http (no Accept)", {}, lineProtocol],
    [
      'Prometheus 3',
      { Accept: PROMETHEUS_3 },
      { status: 200, type: 'application/openmetrics-text; version=1.0.0; charset=utf-8', body: expect.stringContaining('# EOF') },
    ],
    [
      // It ranks the protobuf exposition first, and reads it (the same families as the text format).
      "Telegraf's inputs.prometheus",
      { Accept: TELEGRAF_PROMETHEUS },
      {
        status: 200,
        type: 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
        body: expect.stringContaining('app_requests_total'),
      },
    ],
    ['the page polling', POLL, json],
  ])('%s', async (_client, headers, expected) => {
    for (const path of ['/', '/metrics']) expect(await answer(createApp(meter()), path, headers)).toEqual(expected);
  });

  test('?format= wins over a browser Accept', async () => {
    expect(await answer(createApp(meter()), '/?format=influx', { Accept: CHROME })).toEqual(lineProtocol);
  });

  test('metrics() mounted as middleware answers a browser the page too', async () => {
    const app = new Hono().get('/stats', metrics(meter()));
    expect(await answer(app, '/stats', { Accept: CHROME })).toEqual(page);
  });
});

describe('<path>/view', () => {
  test('is served beside each path createApp serves, with or without a trailing slash; other paths under it are 404', async () => {
    const app = createApp(meter());
    const statuses = await Promise.all(
      ['/view', '/view/', '/metrics/view', '/metrics/view/', '/view/x', '/metrics/view/x', '/views'].map(
        async (path) => (await app.request(path)).status,
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 404, 404, 404]);
  });

  test.each([
    ['/stats', ['/stats/view', '/stats/view/'], ['/view', '/metrics/view']],
    ['/stats/', ['/stats/view', '/stats/view/'], ['/view', '/stats//view']],
    ['/', ['/view', '/view/'], ['/metrics/view']],
  ])('with path %s, at %j only', async (path, served, notServed) => {
    const app = createApp(meter(), { path });
    for (const at of served) expect([at, (await app.request(at)).status]).toEqual([at, 200]);
    for (const at of notServed) expect([at, (await app.request(at)).status]).toEqual([at, 404]);
  });

  test.each([
    ['no Accept', {}, page],
    ['curl', { Accept: '*/*' }, page],
    ['Chrome', { Accept: CHROME }, page],
    ["the page's polls", POLL, json],
    ['?format=', {}, lineProtocol],
    ['nothing it serves', { Accept: 'image/png' }, expect.objectContaining({ status: 406 })],
  ])('answers %s', async (what, headers, expected) => {
    expect(await answer(createApp(meter()), what === '?format=' ? '/view?format=influx' : '/view', headers)).toEqual(expected);
  });

  test('the page: no cache keeps it, it varies with Accept, HEAD has its headers and no body, other methods 405', async () => {
    const app = createApp(meter());
    const got = await app.request('/view');
    expect([got.headers.get('cache-control'), got.headers.get('vary')]).toEqual(['no-store', 'Accept']);
    const text = await got.text();
    expect(text.startsWith(PAGE_BEFORE_CONFIG)).toBe(true);
    const head = await app.request('/view', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), head.headers.get('content-length'), await head.text()]).toEqual([
      200,
      HTML,
      String(Buffer.byteLength(text)),
      '',
    ]);
    expect((await app.request('/view', { method: 'POST' })).status).toBe(405);
  });

  test('gzipped when asked, as the formats are', async () => {
    const response = await createApp(meter()).request('/view', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    expect(
      gunzipSync(Buffer.from(await response.arrayBuffer()))
        .toString()
        .startsWith(PAGE_BEFORE_CONFIG),
    ).toBe(true);
  });
});

describe('the same auth as the endpoint', () => {
  const basic = (username: string, password: string) => ({
    Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
  });

  test("basic: the page asks for credentials (the browser's prompt), then its polls carry them", async () => {
    const app = createApp(meter(), { auth: { username: 'ops', password: 'secret' } });
    const refused = await app.request('/view', { headers: { Accept: CHROME } });
    expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="Secure Area"']);
    expect((await app.request('/', { headers: { Accept: CHROME } })).status).toBe(401);
    expect((await app.request('/view', { headers: { ...basic('ops', 'wrong'), Accept: CHROME } })).status).toBe(401);
    expect(await answer(app, '/view', { ...basic('ops', 'secret'), Accept: CHROME })).toEqual(page);
    expect(await answer(app, '/view', { ...basic('ops', 'secret'), ...POLL })).toEqual(json);
  });

  test('bearer: the page only for a request that carries the token, as every scrape', async () => {
    const app = createApp(meter(), { auth: { token: 'tok3n' } });
    const refused = await app.request('/view', { headers: { Accept: CHROME } });
    expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm=""']);
    expect(await answer(app, '/view', { Authorization: 'Bearer tok3n' })).toEqual(page);
  });
});

describe('mounted in an app of your own, at a prefix', () => {
  test("Hono: metricsApp routed under a prefix serves the view at any path that ends in /view, and the page's polls", async () => {
    const app = new Hono().route('/ops/metrics', metricsApp(meter()));
    expect(await answer(app, '/ops/metrics/view')).toEqual(page);
    expect(await answer(app, '/ops/metrics/view', POLL)).toEqual(json);
    expect(await answer(app, '/ops/metrics', { Accept: CHROME })).toEqual(page);
    expect(await answer(app, '/ops/metrics')).toEqual(lineProtocol);
  });

  test('Hono: metricsApp with a path, under a prefix', async () => {
    const app = new Hono().route('/ops', metricsApp(meter(), { path: '/metrics' }));
    expect(await answer(app, '/ops/metrics/view')).toEqual(page);
    expect((await app.request('/ops/view')).status).toBe(404);
  });

  test('a fetch handler', async () => {
    const handle = fetchHandler(meter());
    const app = { request: (path: string, init?: RequestInit) => handle(new Request(`http://localhost${path}`, init)) };
    expect(await answer(app, '/metrics/view')).toEqual(page);
    expect(await answer(app, '/metrics/view', POLL)).toEqual(json);
  });

  test('Express: a request listener under app.use(prefix), on a real server on loopback', async () => {
    const app = express().use('/ops', requestListener(meter(), { path: '/metrics' }));
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const http = { request: (path: string, init?: RequestInit) => fetch(base + path, init) };
    try {
      expect(await answer(http, '/ops/metrics/view')).toEqual(page);
      expect(await answer(http, '/ops/metrics/view', POLL)).toEqual(json);
      expect(await answer(http, '/ops/metrics', { Accept: CHROME })).toEqual(page);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('on Bun and Deno', () => {
  test.each(['bun', 'deno'] as const)(
    "serve() on %s answers the page, which names the runtime, and the page's polls",
    async (runtime) => {
      const seen = JSON.parse(await runOn(runtime, 'packages/server-hono/test/view-child.ts'));
      expect(seen).toEqual({
        page: [200, HTML],
        servedBy: expect.stringMatching(new RegExp(`^${runtime} \\d+\\.\\d+\\.\\d+$`)),
        poll: [200, JSON.parse(JSON_BODY)],
      });
    },
    60_000,
  );
});
