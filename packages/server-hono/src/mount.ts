// The endpoint mounted in an app that already has a server: one Hono app, handed to each host in
// the shape it calls (a Hono route, a fetch handler, a node:http request listener).
import type { SnapshotSource } from '@runometer/core';
import type { Hono } from 'hono';
import { endpointApp } from './fixed-path-router.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createApp, type AppOptions } from './app.js';
import { endpoint } from './metrics.js';

/** A path that ends in `/view` (or `/view/`): the live view of the endpoint at the path before it. */
const VIEW = /\/view\/?$/;

/**
 * The endpoint as a Hono app that answers wherever the host app mounts it: at every path it is
 * handed (the live view at any that ends in `/view`), or, with `path`, at that path only
 * (relative to the mount point) and its view at `<path>/view`.
 */
export function metricsApp(source: SnapshotSource, options: AppOptions = {}): Hono {
  if (options.path !== undefined) return createApp(source, options);
  const { metrics, view } = endpoint(source, options);
  return endpointApp().all('*', (c, next) => (VIEW.test(c.req.path) ? view(c, next) : metrics(c, next)));
}

/**
 * The endpoint as a fetch handler, for `Bun.serve`, `Deno.serve` or any server that hands a
 * `Request` over. A fresh render is answered synchronously (Bun then answers pipelined requests).
 */
export function fetchHandler(source: SnapshotSource, options: AppOptions = {}): (request: Request) => Response | Promise<Response> {
  const app = metricsApp(source, options);
  return (request) => app.fetch(request);
}

/**
 * The endpoint as a `node:http` request listener, for `http.createServer`, Express (`app.get` or
 * `app.use`) and Fastify (`reply.hijack()`, then `request.raw` and `reply.raw`). It leaves the
 * host app's global `Request` and `Response` as they are. @hono/node-server is imported by the
 * first request, not with this package: Bun and Deno spent tens of milliseconds of CPU loading it at
 * start (it shows in bench/cold-start.bench.js's `runometer` start) where serve() never uses it.
 */
export function requestListener(
  source: SnapshotSource,
  options: AppOptions = {},
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const { fetch } = metricsApp(source, options);
  let listener: Promise<(request: IncomingMessage, response: ServerResponse) => Promise<void>> | undefined;
  return async (request, response) => {
    listener ??= import('@hono/node-server').then(({ getRequestListener }) => getRequestListener(fetch, { overrideGlobalObjects: false }));
    return (await listener)(request, response);
  };
}
