import type { IncomingMessage, ServerResponse } from 'node:http';
import { container } from '@runometer/core';
import { HttpRecorder } from './http-recorder.js';
import { responseTracker } from './response-tracker.js';

export interface ExpressMetricsOptions {
  /** Where the requests are recorded; the container's one by default (what the http preset reads). */
  readonly recorder?: HttpRecorder;
}

/** What the middleware reads of Express's request: the route that answered, and the router's mount. */
interface ExpressRequest extends IncomingMessage {
  route?: { path?: unknown };
  baseUrl?: string;
}

/**
 * A route's template where Express matched one: its mount (`req.baseUrl`) and its path
 * (`req.route.path`), read when the response closes. A mount path with parameters is the mount's
 * actual value (Express keeps no template of it): such routes count towards the limit.
 */
function expressRoute(request: ExpressRequest): string | undefined {
  const path = request.route?.path;
  if (path === undefined) return undefined;
  return `${request.baseUrl ?? ''}${String(path)}`;
}

/** Express middleware that records every request: `app.use(expressHttpMetrics())` before the routes. */
export function expressHttpMetrics(
  options: ExpressMetricsOptions = {},
): (request: ExpressRequest, response: ServerResponse, next: (error?: unknown) => void) => void {
  const track = responseTracker(options.recorder ?? container.resolve(HttpRecorder), expressRoute);
  return function recordHttpRequest(_request, response, next) {
    track(response);
    next();
  };
}
