import { serve as serveHono } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { runOn } from '../../../test/runtimes.js';
import { closableSource, expected, scrape, TOKEN, type Mounted } from '../test/mounted.js';
import { fetchHandler, metricsApp, requestListener } from './mount.js';

/** Listens on an ephemeral loopback port; resolves to the base URL and a close that resolves once the server has. */
function listening(server: Server): Promise<{ base: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ base, close: () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done()))) });
    });
  });
}

const sources = () => ({ meter: closableSource(), guardedMeter: closableSource() });

/** Scrapes the host, then closes its server: `serverClosed` once close() resolved (a close that hangs fails the test by its timeout). */
async function scrapeThenClose(started: { base: string; close: () => Promise<void> }, paths: Omit<Mounted, 'own'>) {
  const observed = await scrape({
    ...paths,
    endpoint: started.base + paths.endpoint,
    guarded: started.base + paths.guarded,
    own: `${started.base}/hello`,
  });
  await started.close();
  return { ...observed, serverClosed: true };
}

const ON_EVERY_HOST = { ...expected(), serverClosed: true };

describe('the endpoint mounted in an app of your own, on a real server on loopback', () => {
  test('node:http: a request listener the app hands its path to', async () => {
    const { meter, guardedMeter } = sources();
    const metrics = requestListener(meter);
    const guarded = requestListener(guardedMeter, { auth: { token: TOKEN } });
    const server = createServer((req, res) => {
      if (req.url?.split('?')[0] === '/metrics') return metrics(req, res);
      if (req.url === '/guarded') return guarded(req, res);
      res.end('hello');
    });
    const observed = await scrapeThenClose(await listening(server), {
      endpoint: '/metrics',
      guarded: '/guarded',
      closeSource: () => meter.close(),
    });
    expect(observed).toEqual({ ...expected(false), serverClosed: true });
  });

  test('Express: app.all on a path', async () => {
    const { meter, guardedMeter } = sources();
    const app = express();
    app.get('/hello', (_req, res) => void res.send('hello'));
    app.all('/metrics', requestListener(meter));
    app.all('/guarded', requestListener(guardedMeter, { auth: { token: TOKEN } }));
    expect(
      await scrapeThenClose(await listening(createServer(app)), {
        endpoint: '/metrics',
        guarded: '/guarded',
        closeSource: () => meter.close(),
      }),
    ).toEqual(ON_EVERY_HOST);
  });

  test('Express: app.use under a prefix, with a path inside it', async () => {
    const { meter, guardedMeter } = sources();
    const app = express();
    app.get('/hello', (_req, res) => void res.send('hello'));
    app.use('/ops', requestListener(meter, { path: '/metrics' }));
    app.use('/guarded', requestListener(guardedMeter, { auth: { token: TOKEN } }));
    const observed = await scrapeThenClose(await listening(createServer(app)), {
      endpoint: '/ops/metrics',
      guarded: '/guarded',
      closeSource: () => meter.close(),
    });
    expect(observed).toEqual(ON_EVERY_HOST);
  });

  test('Fastify: a route that hands the raw request and response over', async () => {
    const { meter, guardedMeter } = sources();
    const app = Fastify();
    app.get('/hello', async () => 'hello');
    const metrics = requestListener(meter);
    app.all('/metrics', (request, reply) => {
      reply.hijack();
      return metrics(request.raw, reply.raw);
    });
    const guarded = requestListener(guardedMeter, { auth: { token: TOKEN } });
    app.all('/guarded', (request, reply) => {
      reply.hijack();
      return guarded(request.raw, reply.raw);
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const observed = await scrapeThenClose(
      { base, close: () => app.close() },
      { endpoint: '/metrics', guarded: '/guarded', closeSource: () => meter.close() },
    );
    expect(observed).toEqual({ ...expected(false), serverClosed: true });
  });

  test('Hono on Node: app.route under a prefix', async () => {
    const { meter, guardedMeter } = sources();
    const app = new Hono();
    app.get('/hello', (c) => c.text('hello'));
    app.route('/ops/metrics', metricsApp(meter));
    app.route('/guarded', metricsApp(guardedMeter, { auth: { token: TOKEN } }));
    const server = await new Promise<Server>((resolve) => {
      const started = serveHono({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const close = () => new Promise<void>((done, fail) => server.close((error) => (error ? fail(error) : done())));
    expect(
      await scrapeThenClose({ base, close }, { endpoint: '/ops/metrics', guarded: '/guarded', closeSource: () => meter.close() }),
    ).toEqual(ON_EVERY_HOST);
  });

  test.each(['bun', 'deno'] as const)(
    "the fetch handler in %s's own server",
    async (runtime) => {
      expect(JSON.parse(await runOn(runtime, 'packages/server-hono/test/fetch-handler-child.ts'))).toEqual({
        ...expected(false),
        serverClosed: true,
      });
    },
    60_000,
  );
});

test('the fetch handler answers a Request directly, wherever it is routed', async () => {
  const handler = fetchHandler(closableSource());
  expect(await (await handler(new Request('http://localhost/anywhere/at/all'))).text()).toBe(expected().plain.body);
});

test('every line of the README\'s "Mount it in your app" blocks runs in these tests', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Mount it in your app'),
    readme.indexOf('\n## ', readme.indexOf('## Mount it in your app') + 1),
  );
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map(([, code]) => code!);
  expect(blocks).toHaveLength(5);
  const tested = new Set(
    [
      readFileSync(new URL(import.meta.url), 'utf8'),
      readFileSync(new URL('../test/fetch-handler-child.ts', import.meta.url), 'utf8'),
    ].flatMap((text) => text.split('\n').map((line) => line.trim())),
  );
  const run = (code: string) =>
    code
      .split('\n')
      .map((line) => line.replace(/ \/\/ .*$/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('//') && !line.startsWith('import '));
  expect(blocks.flatMap(run).filter((line) => !tested.has(line))).toEqual([]);
});
