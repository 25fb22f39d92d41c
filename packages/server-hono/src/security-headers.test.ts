import { Runometer, type SnapshotSource } from '@runometer/core';
import { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { createApp } from './app.js';
import { metrics } from './metrics.js';
import { fetchHandler } from './mount.js';

const meter = () =>
  new Runometer('app').addField('up', () => 1, { type: 'integer' }).addField('note', () => 'x'.repeat(2000), { type: 'string' });
const CHROME = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const EVERY_ANSWER = { 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'cross-origin-resource-policy': 'same-origin' };
const NOT_THE_PAGE = { ...EVERY_ANSWER, 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" };
const NAMES = ['x-content-type-options', 'x-frame-options', 'cross-origin-resource-policy', 'content-security-policy'];

const security = (response: Response) => Object.fromEntries(NAMES.map((name) => [name, response.headers.get(name)]));

function failing(): SnapshotSource {
  return {
    collect: () => {
      throw new Error('broken');
    },
  };
}

function closing(): SnapshotSource & { closed: boolean } {
  const source = meter();
  return {
    closed: false,
    collect: () => source.collect(),
  };
}

describe('every answer of the endpoint says nosniff, refuses to be framed or embedded elsewhere, and runs nothing', () => {
  const guarded = () => createApp(meter(), { auth: { token: 's3cret' } });
  const cases: [string, () => Promise<Response>, number][] = [
    ['line protocol', async () => createApp(meter()).request('/'), 200],
    ['Prometheus', async () => createApp(meter()).request('/metrics', { headers: { Accept: 'text/plain;version=0.0.4' } }), 200],
    ['OpenMetrics', async () => createApp(meter()).request('/?format=openmetrics'), 200],
    ['JSON (the page polling)', async () => createApp(meter()).request('/view', { headers: { Accept: 'application/json' } }), 200],
    ['gzip from the render', async () => createApp(meter()).request('/', { headers: { 'Accept-Encoding': 'gzip' } }), 200],
    ["deflate from Hono's compress", async () => createApp(meter()).request('/', { headers: { 'Accept-Encoding': 'deflate' } }), 200],
    ['HEAD', async () => createApp(meter()).request('/', { method: 'HEAD' }), 200],
    ['405', async () => createApp(meter()).request('/', { method: 'POST' }), 405],
    ['406', async () => createApp(meter()).request('/', { headers: { Accept: 'image/png' } }), 406],
    ['404', async () => createApp(meter()).request('/nowhere'), 404],
    ['401', async () => guarded().request('/'), 401],
    ['401 for a path not served', async () => guarded().request('/nowhere'), 401],
    [
      '400 for a header that is not a bearer token',
      async () => guarded().request('/', { headers: { Authorization: 'Bearer not a token' } }),
      400,
    ],
    ['500', async () => createApp(failing(), { onError: () => {} }).request('/'), 500],
    [
      '503',
      async () => {
        const source = closing();
        const app = createApp(source);
        source.closed = true;
        return app.request('/');
      },
      503,
    ],
    ['421', async () => fetchHandler(meter(), { allowedHosts: ['localhost'] })(new Request('http://x/', { headers: { Host: 'x' } })), 421],
    ['metrics() as middleware', async () => new Hono().get('/m', metrics(meter())).request('/m'), 200],
  ];

  test.each(cases)('%s', async (_what, answer, status) => {
    const response = await answer();
    expect([response.status, security(response)]).toEqual([status, NOT_THE_PAGE]);
  });
});

describe("the live view's page", () => {
  /** The text of each inline element `tag` of the page, with its attributes. */
  const inline = (page: string, tag: string) =>
    [...page.matchAll(new RegExp(`<${tag}([^>]*)>([\\s\\S]*?)</${tag}>`, 'g'))].map(([, attributes, text]) => ({
      attributes: attributes!,
      text: text!,
    }));
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

  test.each([
    ['at <path>/view', {}, '/view'],
    ['at the endpoint, to a browser', { Accept: CHROME }, '/metrics'],
  ])(
    '%s: its own policy, which lets through its inline script and style by their hashes, and nothing else',
    async (_where, headers, path) => {
      const response = await createApp(meter()).request(path, { headers });
      const page = await response.text();
      const scripts = inline(page, 'script');
      // The config is a JSON data block, which no browser runs: the one script that runs is the page's own.
      expect(scripts.map(({ attributes }) => attributes)).toEqual([' id="runometer-view" type="application/json"', '']);
      const [style] = inline(page, 'style');
      // The policy written out again, on purpose: hashed from the page as served, not from what
      // build-view.js hashed, and each directive pinned, so that a change to either is deliberate.
      expect(security(response)).toEqual({
        ...EVERY_ANSWER,
        'content-security-policy': [
          "default-src 'none'",
          `script-src ${hash(scripts[1]!.text)}`,
          `style-src ${hash(style!.text)}`,
          "connect-src 'self'",
          'img-src data:',
          "base-uri 'none'",
          "form-action 'none'",
          "frame-ancestors 'none'",
          "require-trusted-types-for 'script'",
          "trusted-types 'none'",
        ].join('; '),
      });
      expect(page).not.toMatch(/\son[a-z]+=|\sstyle=|javascript:/i);
    },
  );

  test('gzipped and HEAD, the same headers', async () => {
    const app = createApp(meter());
    const plain = await app.request('/view');
    const gzipped = await app.request('/view', { headers: { 'Accept-Encoding': 'gzip' } });
    const head = await app.request('/view', { method: 'HEAD' });
    expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString()).toBe(await plain.text());
    expect([security(gzipped), security(head)]).toEqual([security(plain), security(plain)]);
  });
});
