import { serve } from '@hono/node-server';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { fastifyHttpMetrics } from './fastify.js';
import { honoHttpMetrics } from './hono.js';
import { HttpRecorder } from './http-recorder.js';
import { withHttpMetrics } from './node-http.js';
import { recordServerChannels, type ServerChannelsHandle } from './server-channels.js';

const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const closing of open.splice(0)) await closing.close();
});

function record(options: Parameters<typeof recordServerChannels>[0]): ServerChannelsHandle {
  const handle = recordServerChannels(options);
  open.push(handle);
  return handle;
}

async function listening(listener: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(listener).listen(0, '127.0.0.1');
  await once(server, 'listening');
  open.push({ close: () => new Promise((resolve) => server.close(resolve)) });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Every series the recorder holds, as `method route status_class: requests`. */
function requests(recorder: HttpRecorder): string[] {
  return recorder.read().map(({ series }) => {
    const count = Array.from(series.durations.snapshot().counts).reduce((sum, n) => sum + n, 0);
    return `${series.method} ${series.route} ${series.statusClass}: ${count}`;
  });
}

const answer: RequestListener = (request, response) => {
  response.statusCode = request.method === 'POST' ? 201 : request.url === '/missing' ? 404 : 200;
  response.end('ok');
};

test("records every request of a bare node:http server under route=unmatched, never the raw path, but an ignored server's", async () => {
  const recorder = new HttpRecorder();
  let firstRequests = 0;
  const app = await listening(answer);
  const own = await listening(answer);
  const handle = record({ recorder, ignore: (server) => server === own.server, onFirstRequest: () => firstRequests++ });
  for (const path of ['/users/1', '/users/2', '/missing']) await (await fetch(`${app.url}${path}`)).text();
  await (await fetch(`${app.url}/users`, { method: 'POST', body: 'x' })).text();
  for (const path of ['/', '/metrics']) await (await fetch(`${own.url}${path}`)).text();
  expect(requests(recorder)).toEqual(['GET unmatched 2xx: 2', 'GET unmatched 4xx: 1', 'POST unmatched 2xx: 1']);
  expect(firstRequests).toBe(1);
  handle.close();
  await (await fetch(`${app.url}/after`)).text();
  expect(requests(recorder)).toEqual(['GET unmatched 2xx: 2', 'GET unmatched 4xx: 1', 'POST unmatched 2xx: 1']);
});

test('a hook added by hand beside the channel tells the route, and the request is recorded once', async () => {
  const recorder = new HttpRecorder();
  record({ recorder });
  const app = await listening(
    withHttpMetrics(answer, { recorder, route: (request) => (request.url === '/missing' ? undefined : '/users/:id') }),
  );
  for (const path of ['/users/1', '/users/2', '/missing']) await (await fetch(`${app.url}${path}`)).text();
  expect(requests(recorder)).toEqual(['GET /users/:id 2xx: 2', 'GET unmatched 4xx: 1']);
});

test.each([
  ['alone', false],
  ['beside its plugin, registered by hand', true],
])("Fastify: the route template from Fastify's own channel (%s); its 404 unmatched", async (_how, plugin) => {
  const recorder = new HttpRecorder();
  record({ recorder });
  const app = Fastify();
  open.push(app);
  if (plugin) await app.register(fastifyHttpMetrics, { recorder });
  app.get('/users/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  for (const path of ['/users/1', '/users/2', '/missing']) await (await fetch(`${url}${path}`)).text();
  expect(requests(recorder)).toEqual(['GET /users/:id 2xx: 2', 'GET unmatched 4xx: 1']);
});

test("Hono on @hono/node-server with its middleware added by hand: the route template from Hono's hook, each request recorded once", async () => {
  const recorder = new HttpRecorder();
  record({ recorder });
  const app = new Hono()
    .use(honoHttpMetrics({ recorder }))
    .get('/users/:id', (c) => c.text('ok'))
    .post('/users', (c) => c.text('made', 201));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  open.push({ close: () => new Promise((resolve) => server.close(resolve)) });
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const path of ['/users/1', '/users/2', '/missing']) await (await fetch(`${url}${path}`)).text();
  await (await fetch(`${url}/users`, { method: 'POST', body: 'x' })).text();
  expect(requests(recorder)).toEqual(['GET /users/:id 2xx: 2', 'POST /users 2xx: 1', 'GET unmatched 4xx: 1']);
  expect(recorder.inFlight).toBe(0);
});
