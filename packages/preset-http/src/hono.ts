import { container } from '@runometer/core';
import type { Context, MiddlewareHandler } from 'hono';
import { ABORTED_STATUS, HttpRecorder } from './http-recorder.js';
import { lengthOf } from './response-tracker.js';

export interface HonoMetricsOptions {
  /** Where the requests are recorded; the container's one by default (what the http preset reads). */
  readonly recorder?: HttpRecorder;
}

/**
 * The route template that answered (`c.req.routePath`), or undefined when none matched: Hono
 * then answers 404 from the last middleware that called `next()`, registered with `use()`.
 */
function honoRoute(c: Context, status: number): string | undefined {
  if (status === 404 && c.req.matchedRoutes[c.req.routeIndex]?.method === 'ALL') return undefined;
  return c.req.routePath;
}

/**
 * Hono middleware that records every request: `app.use(honoHttpMetrics())` before the routes.
 * A request ends when its handler returns the response: a streamed body's time is the time to
 * its first byte. A request whose client went away before then counts as aborted; one whose
 * handler threw (and no error handler answered) as a 500.
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
      const status = !answered ? 500 : c.req.raw.signal.aborted ? ABORTED_STATUS : c.res.status;
      const method = c.req.method;
      // Hono's Node server makes a request's headers only when read: a GET or HEAD has no body to count.
      const requestBytes = method === 'GET' || method === 'HEAD' ? NaN : lengthOf(c.req.header('content-length'));
      const responseBytes = answered ? lengthOf(c.res.headers.get('content-length')) : NaN;
      recorder.end(honoRoute(c, status), method, status, startedAt, requestBytes, responseBytes);
    }
  };
}
