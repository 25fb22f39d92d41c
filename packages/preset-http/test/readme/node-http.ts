import { createServer, type IncomingMessage } from 'node:http';
import { Runometer } from '@runometer/core';
import { HttpPreset, withHttpMetrics } from '@runometer/preset-http';
import { requestListener } from '@runometer/server-hono';

const meter = new Runometer('node').addTag('app', 'checkout').use(HttpPreset);
const metrics = requestListener(meter);
// The app's own routing, as a template per request: never the raw path.
const route = (request: IncomingMessage) => (request.url?.startsWith('/users/') ? '/users/:id' : undefined);
const app = withHttpMetrics(
  (request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ id: request.url?.slice('/users/'.length) }));
  },
  { route },
);
createServer((request, response) => (request.url === '/metrics' ? metrics(request, response) : app(request, response))).listen(3000);
