import type { IncomingMessage, ServerResponse } from 'node:http';
import { ABORTED_STATUS, type HttpRecorder } from './http-recorder.js';

const STARTED_AT = Symbol('runometer.http.startedAt');
const ROUTE_OF = Symbol('runometer.http.routeOf');

/** Reads a request's route template when its response closes; undefined when it has none. */
type RouteOf = (request: IncomingMessage, response: ServerResponse) => string | undefined;

/** Where Fastify's hook and its diagnostics channel leave the route template of a request, for their route reader. */
export const ROUTE = Symbol('runometer.http.route');

export interface RoutedResponse extends ServerResponse {
  [ROUTE]?: string | undefined;
}

/** The route a Fastify hook or channel left on the response. */
export const routeLeftOnResponse: RouteOf = (_request, response: RoutedResponse) => response[ROUTE];

interface TrackedResponse extends ServerResponse {
  [STARTED_AT]?: number;
  [ROUTE_OF]?: RouteOf;
  /** The header block as sent (Node's, undocumented but long-standing): where `writeHead(status, headers)` keeps them. */
  _header?: unknown;
}

const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
/** How Node writes the Content-Length it works out for `end(body)`: found by `indexOf`, at half the regex's cost. */
const NODE_CONTENT_LENGTH = '\r\nContent-Length: ';

/** The Content-Length in a header block as sent; NaN when it has none. */
function sentLength(sent: string): number {
  const at = sent.indexOf(NODE_CONTENT_LENGTH);
  if (at === -1) return lengthOf(CONTENT_LENGTH.exec(sent)?.[1]);
  const start = at + NODE_CONTENT_LENGTH.length;
  return lengthOf(sent.slice(start, sent.indexOf('\r', start)));
}

/** The response's Content-Length: set with setHeader, or else given to writeHead (which `getHeader` does not see). */
function responseLength(response: TrackedResponse): number {
  const header = response.getHeader('content-length');
  if (header !== undefined) return lengthOf(header);
  const sent = response._header;
  return typeof sent === 'string' ? sentLength(sent) : NaN;
}

/** A header's value as a length in bytes; NaN when absent or not a number. */
export function lengthOf(header: number | string | readonly string[] | null | undefined): number {
  return typeof header === 'number' ? header : typeof header === 'string' && header !== '' ? Number(header) : NaN;
}

/**
 * Tracks node:http responses: `track(response)` when a request begins; the request ends when its
 * response closes, finished (its status) or not (aborted: the client went away first). `routeOf`
 * reads the route template then, when the framework has routed it. One close listener per hook,
 * shared by every response, and the start time kept on the response: nothing made per request.
 * A response is recorded once, by the first tracker that sees it (the diagnostics channel's, which
 * sees it before the app's listener runs), with the route reader of the last: a framework's hook,
 * added by hand beside the channel, tells the route without counting the request twice.
 */
export function responseTracker(recorder: HttpRecorder, routeOf: RouteOf): (response: ServerResponse) => void {
  function requestEnded(this: TrackedResponse) {
    const request = this.req;
    recorder.end(
      this[ROUTE_OF]!(request, this),
      request.method ?? '',
      this.writableFinished ? this.statusCode : ABORTED_STATUS,
      this[STARTED_AT]!,
      lengthOf(request.headers['content-length']),
      responseLength(this),
    );
  }
  return (response: TrackedResponse) => {
    response[ROUTE_OF] = routeOf;
    if (response[STARTED_AT] !== undefined) return;
    response[STARTED_AT] = recorder.begin();
    response.on('close', requestEnded);
  };
}

/** Whether a tracker records `response` (the diagnostics channel's, which sees every node:http request first, under the preload). */
export const isTracked = (response: ServerResponse): boolean => (response as TrackedResponse)[STARTED_AT] !== undefined;

/**
 * Leaves a hook's route template on a tracked response, for its tracker to record it with when
 * the response closes: a hook that sees the request after the tracker (Hono's, which has no
 * response to track) tells the route without recording the request twice.
 */
export function leaveRoute(response: ServerResponse, route: string | undefined): void {
  const tracked = response as TrackedResponse & RoutedResponse;
  tracked[ROUTE] = route;
  tracked[ROUTE_OF] = routeLeftOnResponse;
}
