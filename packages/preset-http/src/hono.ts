import type { IncomingMessage } from 'node:http';
import { container } from '@runometer/core';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { ABORTED_STATUS, HttpRecorder } from './http-recorder.js';
import { lengthOf } from './response-tracker.js';

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

/** What @hono/node-server hands over as `c.env`: the node:http request (`HttpBindings`). */
interface NodeBindings {
  readonly incoming?: Partial<Pick<IncomingMessage, 'socket' | 'headers'>>;
}

/**
 * Hono middleware that records every request: `app.use(honoHttpMetrics())` before the routes.
 * A request ends when its handler returns the response: a streamed body's time is the time to
 * its first byte. On Node, a request whose client went away before then counts as aborted; one
 * whose handler threw (and no error handler answered) as a 500. Request bytes are the declared
 * Content-Length; response bytes are not counted (see the README).
 */
export function honoHttpMetrics(options: HonoMetricsOptions = {}): MiddlewareHandler {
  const recorder = options.recorder ?? container.resolve(HttpRecorder);
  return async function recordHttpRequest(c, next) {
    const startedAt = recorder.begin();
    let answered = false;
    try {
      await next();
      answered = true;
    } finally {
      // On Node, the node:http request tells for free whether the client went away and the body's
      // length, where the Request's `signal` and `headers` would be made for them. Elsewhere the
      // signal is not read (on Deno, reading it makes every response abort it once sent), and a
      // GET or HEAD is taken to have no body.
      const incoming = (c.env as NodeBindings | undefined)?.incoming;
      const status = !answered ? 500 : incoming?.socket?.destroyed === true ? ABORTED_STATUS : c.res.status;
      const method = c.req.method;
      const requestBytes =
        incoming !== undefined
          ? lengthOf(incoming.headers?.['content-length'])
          : method === 'GET' || method === 'HEAD'
            ? NaN
            : lengthOf(c.req.header('content-length'));
      recorder.end(honoRoute(c, status), method, status, startedAt, requestBytes, NaN);
    }
  };
}
