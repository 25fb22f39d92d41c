import type { IncomingMessage, ServerResponse } from 'node:http';
import { container } from '@runometer/core';
import { HttpRecorder } from './http-recorder.js';
import { responseTracker } from './response-tracker.js';

export interface NodeHttpMetricsOptions {
  /**
   * The route template of a request (`'/users/:id'`), read when its response closes; undefined
   * when it has none. Without it, every request counts under `route=unmatched`: a bare
   * listener knows no templates, and its raw paths would be a series each.
   */
  readonly route?: (request: IncomingMessage, response: ServerResponse) => string | undefined;
  /** Where the requests are recorded; the container's one by default (what the http preset reads). */
  readonly recorder?: HttpRecorder;
}

type RequestListener<Request extends IncomingMessage, Response extends ServerResponse> = (request: Request, response: Response) => unknown;

const noRoute = () => undefined;

/** `listener` (of `http.createServer(listener)`), with each request recorded. */
export function withHttpMetrics<Request extends IncomingMessage, Response extends ServerResponse>(
  listener: RequestListener<Request, Response>,
  options: NodeHttpMetricsOptions = {},
): RequestListener<Request, Response> {
  if (typeof listener !== 'function') throw new TypeError(`withHttpMetrics(listener): listener must be a function, got ${typeof listener}`);
  const track = responseTracker(options.recorder ?? container.resolve(HttpRecorder), options.route ?? noRoute);
  return function recordedListener(this: unknown, request, response) {
    track(response);
    return listener.call(this, request, response);
  };
}
