import type { IncomingMessage, ServerResponse } from 'node:http';
import { container } from '@runometer/core';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { ABORTED_STATUS, HttpRecorder } from './http-recorder.js';
import { isTracked, leaveRoute, lengthOf } from './response-tracker.js';

export interface HonoMetricsOptions {
  /** Where the requests are recorded; the container's one by default (what the http preset reads). */
  readonly recorder?: HttpRecorder;
}

/**
 * The route template that answered, or undefined when none matched: Hono then answers 404 from
 * the last middleware that called `next()`, registered with `use()`.
 */
function honoRoute(c: Context, status: number): string | undefined {
  const answered = matchedRoutes(c)[c.req.routeIndex];
  if (status === 404 && answered?.method === 'ALL') return undefined;
  return answered?.path;
}

/** What @hono/node-server hands over as `c.env`: the node:http request and response (`HttpBindings`). */
interface NodeBindings {
  readonly incoming?: Partial<Pick<IncomingMessage, 'socket' | 'headers'>>;
  readonly outgoing?: ServerResponse;
}

/** Bun's and Deno's `c.env`, and `app.request()`'s: no node:http request or response. */
const NO_BINDINGS: NodeBindings = Object.freeze({});

/**
 * Hono middleware that records every request: `app.use(honoHttpMetrics())` before the routes.
 * A request ends when its handler returns the response: a streamed body's time is the time to
 * its first byte. On Node, a request whose client went away before then counts as aborted; one
 * whose handler threw (and no error handler answered) as a 500. Request bytes are the declared
 * Content-Length; response bytes are not counted (see the README). On @hono/node-server under
 * `recordServerChannels()` (the preload), which records the request already, the middleware only
 * tells it the route: the request is recorded once, when its response closes.
 */
export function honoHttpMetrics(options: HonoMetricsOptions = {}): MiddlewareHandler {
  const recorder = options.recorder ?? container.resolve(HttpRecorder);
  return async function recordHttpRequest(c, next) {
    const { incoming, outgoing } = (c.env as NodeBindings | undefined) ?? NO_BINDINGS;
    // Recorded already, by the diagnostics channel's tracker, which this middleware tells the route.
    const tracked = outgoing !== undefined && isTracked(outgoing) ? outgoing : undefined;
    const startedAt = tracked === undefined ? recorder.begin() : 0;
    let answered = false;
    try {
      await next();
      answered = true;
    } finally {
      // On Node, the node:http request tells for free whether the client went away and the body's
      // length, where the Request's `signal` and `headers` would be made for them. Elsewhere the
      // signal is not read (on Deno, reading it makes every response abort it once sent), and a
      // GET or HEAD is taken to have no body.
      const status = !answered ? 500 : incoming?.socket?.destroyed === true ? ABORTED_STATUS : c.res.status;
      const route = honoRoute(c, status);
      if (tracked !== undefined) leaveRoute(tracked, route);
      else recorder.end(route, c.req.method, status, startedAt, requestBytesOf(c, incoming), NaN);
    }
  };
}

/** The request body's declared length: the node:http request's header on Node; elsewhere a GET or HEAD is taken to have none. */
function requestBytesOf(c: Context, incoming: NodeBindings['incoming']): number {
  if (incoming !== undefined) return lengthOf(incoming.headers?.['content-length']);
  const method = c.req.method;
  return method === 'GET' || method === 'HEAD' ? NaN : lengthOf(c.req.header('content-length'));
}
