import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import { ROUTES, Traffic, drive, presetBody, seriesLine } from '../test/traffic.js';
import { renderPreset } from '@runometer/core/testing';
import { HttpPreset } from './http-preset.js';
import { HttpRecorder } from './http-recorder.js';
import { withHttpMetrics } from './node-http.js';

/** A bare listener with a router of its own: what a `route` option reads. */
function app(traffic: Traffic) {
  return async (request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    if (request.method === 'GET' && /^\/users\/[^/]+$/.test(path)) {
      traffic.advance(2);
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': 9 }).end('{"id":42}');
    } else if (request.method === 'POST' && path === '/users') {
      traffic.advance(3);
      for await (const _chunk of request);
      response.writeHead(201, { 'content-length': 7 }).end('created');
    } else if (path === '/boom') {
      traffic.advance(1);
      response.writeHead(500, { 'content-length': 0 }).end();
    } else if (path === '/stream') {
      traffic.advance(4);
      response.writeHead(200, { 'content-type': 'text/plain' });
      for (const chunk of ['a', 'b', 'c']) response.write(chunk);
      response.end();
    } else if (path === '/wait') {
      await traffic.gate;
      response.end('done');
    } else if (path === '/abort') {
      traffic.arrivedAtAbort();
    } else {
      response.writeHead(404, { 'content-length': 9 }).end('not found');
    }
  };
}

function routeOf(request: IncomingMessage): string | undefined {
  const path = request.url ?? '/';
  if (/^\/users\/[^/]+$/.test(path)) return ROUTES.user;
  return Object.values(ROUTES).find((route) => route === path);
}

test('node:http: a wrapped listener records each request under the route its `route` option names, at the response close', async () => {
  const traffic = new Traffic();
  const server = createServer(withHttpMetrics(app(traffic), { recorder: traffic.recorder, route: routeOf }));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const result = await drive((server.address() as AddressInfo).port, traffic);
    expect(result).toEqual({
      statuses: [200, 200, 201, 404, 500, 200, 200, 200],
      streamed: 'abc',
      inFlightWhileWaiting: '2i',
      body: presetBody(6, [
        seriesLine('GET /users/:id 2xx', 2, 0.004, 0.00204, { response: 18 }),
        seriesLine('POST /users 2xx', 1, 0.003, 0.002884, { request: 5, response: 7 }),
        seriesLine('GET /boom 5xx', 1, 0.001, 0.00102, { response: 0 }),
        // Chunked: no length known.
        seriesLine('GET /stream 2xx', 1, 0.004, 0.004079),
        // Node sets the length of a body given whole to end().
        seriesLine('GET /wait 2xx', 2, 0, 0, { response: 8 }),
        // Its client went away before the response was sent: no status.
        seriesLine('GET /abort aborted', 1, 0, 0),
        seriesLine('GET unmatched 4xx', 1, 0, 0, { response: 9 }),
      ]),
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}, 30_000);

test('node:http: a status of 600 to 999 counts under status_class=other, and a Content-Length of 2^64 - 1 adds at most MAX_COUNTED_BODY_BYTES', async () => {
  const traffic = new Traffic();
  const server = createServer(
    withHttpMetrics(
      (request, response) => response.writeHead(Number(request.url!.slice(1)), { 'content-length': 0, connection: 'close' }).end(),
      {
        recorder: traffic.recorder,
        route: () => '/status',
      },
    ),
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    for (const status of [600, 999]) {
      // A raw request: a client that declares a body it never sends.
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      socket.end(`POST /${status} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 18446744073709551615\r\n\r\n`);
      let answer = '';
      for await (const chunk of socket) answer += String(chunk);
      expect(answer.split('\r\n')[0]).toBe(`HTTP/1.1 ${status} unknown`);
    }
    for (let i = 0; i < 1000 && traffic.recorder.inFlight > 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const { bodies } = await renderPreset(HttpPreset, { inject: [[HttpRecorder, traffic.recorder]] });
    expect(bodies[0]).toBe(presetBody(1, [seriesLine('POST /status other', 2, 0, 0, { request: 2 * 2 ** 40, response: 0 })]));
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
