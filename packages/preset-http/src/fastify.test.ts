import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { expect, test } from 'vitest';
import { Traffic, drive, presetBody, seriesLine } from '../test/traffic.js';
import { fastifyHttpMetrics } from './fastify.js';

test('Fastify: the plugin records each request of the instance under request.routeOptions.url, including routes registered in other plugins', async () => {
  const traffic = new Traffic();
  const app = Fastify({ forceCloseConnections: true });
  await app.register(fastifyHttpMetrics, { recorder: traffic.recorder });
  // Routes in a plugin of their own, under a prefix: the hook still applies, and the route is the full template.
  await app.register(
    async (users) => {
      users.get('/:id', async (request) => {
        traffic.advance(2);
        return { id: (request.params as { id: string }).id };
      });
      users.post('/', async (_request, reply) => {
        traffic.advance(3);
        return reply.code(201).send('created');
      });
    },
    { prefix: '/users' },
  );
  app.get('/boom', async () => {
    traffic.advance(1);
    throw new Error('boom');
  });
  app.get('/stream', async (_request, reply) => {
    traffic.advance(4);
    return reply.type('text/plain').send(Readable.from(['a', 'b', 'c']));
  });
  app.get('/wait', async () => {
    await traffic.gate;
    return 'done';
  });
  app.get('/abort', (_request, reply) => {
    traffic.arrivedAtAbort();
    return reply;
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    expect(await drive((app.server.address() as AddressInfo).port, traffic)).toEqual({
      statuses: [200, 200, 201, 404, 500, 200, 200, 200],
      streamed: 'abc',
      inFlightWhileWaiting: '2i',
      body: presetBody(6, [
        // {"id":"42"} and {"id":"7"}
        seriesLine('GET /users/:id 2xx', 2, 0.004, 0.00204, { response: 21 }),
        // Fastify's template of the prefix's root route has no trailing slash.
        seriesLine('POST /users 2xx', 1, 0.003, 0.002884, { request: 5, response: 7 }),
        // {"statusCode":500,"error":"Internal Server Error","message":"boom"}
        seriesLine('GET /boom 5xx', 1, 0.001, 0.00102, { response: 67 }),
        seriesLine('GET /stream 2xx', 1, 0.004, 0.004079),
        seriesLine('GET /wait 2xx', 2, 0, 0, { response: 8 }),
        seriesLine('GET /abort aborted', 1, 0, 0),
        // {"message":"Route GET:/nope not found","error":"Not Found","statusCode":404}
        seriesLine('GET unmatched 4xx', 1, 0, 0, { response: 76 }),
      ]),
    });
  } finally {
    await app.close();
  }
}, 30_000);
