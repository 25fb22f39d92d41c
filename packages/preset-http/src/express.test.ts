import express from 'express';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { Traffic, drive, presetBody, seriesLine } from '../test/traffic.js';
import { expressHttpMetrics } from './express.js';

test('Express: the middleware records each request under its mount and route path, read when the response closes', async () => {
  const traffic = new Traffic();
  const app = express();
  app.use(expressHttpMetrics({ recorder: traffic.recorder }));
  // The users routes sit in a router mounted at /users: the route is the mount and the route's path.
  const users = express.Router();
  users.get('/:id', (request, response) => {
    traffic.advance(2);
    response.json({ id: request.params['id'] });
  });
  users.post('/', express.text(), (_request, response) => {
    traffic.advance(3);
    response.status(201).send('created');
  });
  app.use('/users', users);
  app.get('/boom', () => {
    traffic.advance(1);
    throw new Error('boom');
  });
  app.get('/stream', (_request, response) => {
    traffic.advance(4);
    response.type('text/plain');
    for (const chunk of ['a', 'b', 'c']) response.write(chunk);
    response.end();
  });
  app.get('/wait', async (_request, response) => {
    await traffic.gate;
    response.send('done');
  });
  app.get('/abort', () => traffic.arrivedAtAbort());
  // Express's default error handler prints the stack; this one answers the same 500 silently.
  app.use((_error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    response.status(500).send('boom');
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    expect(await drive((server.address() as AddressInfo).port, traffic)).toEqual({
      statuses: [200, 200, 201, 404, 500, 200, 200, 200],
      streamed: 'abc',
      inFlightWhileWaiting: '2i',
      body: presetBody(6, [
        // {"id":"42"} and {"id":"7"}
        seriesLine('GET /users/:id 2xx', 2, 0.004, 0.00204, { response: 21 }),
        seriesLine('POST /users/ 2xx', 1, 0.003, 0.002884, { request: 5, response: 7 }),
        seriesLine('GET /boom 5xx', 1, 0.001, 0.00102, { response: 4 }),
        seriesLine('GET /stream 2xx', 1, 0.004, 0.004079),
        seriesLine('GET /wait 2xx', 2, 0, 0, { response: 8 }),
        seriesLine('GET /abort aborted', 1, 0, 0),
        // Express's 404 page: "Cannot GET /nope" in a small HTML document.
        seriesLine('GET unmatched 4xx', 1, 0, 0, { response: 143 }),
      ]),
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}, 30_000);
