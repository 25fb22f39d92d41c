// serve()'s listener on Node: node:http, handing the app LightRequests (light.ts) rather than
// WHATWG Requests, and writing the LightResponses the endpoint answers them as they are, so that a
// scrape loads neither Node's fetch implementation (undici, whose Request, Response and Headers
// the globals load on first use) nor @hono/node-server (which reads those globals, and node:http2,
// when imported). Anything else the app answers (Hono's 404, a 405, a 401) is a real Response,
// written whole. serveApp() serves apps of any kind through @hono/node-server (listen-node.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type * as Light from './light.js';
import type { Fetch } from './listener.js';

/** light.ts's classes, from the caller, whose module has them already: one module fewer to load at start. */
type LightClasses = Pick<typeof Light, 'LightRequest' | 'LightResponse'>;

/** A request node:http took that no URL can be made of (a bad Host or target): 400, as @hono/node-server answers it. */
class BadRequest extends Error {}

// A request's URL as @hono/node-server makes it (src/url.ts, MIT): a common Host and target are
// joined as they are, anything else goes through the URL parser, which refuses what is not a URL.
const SIMPLE_TARGET = /^\/[!#$&-;=?-[\]_a-z~]*$/;
const DOT_SEGMENT = /\/\.\.?(?:[/?#]|$)/;
const SIMPLE_HOST = /^[a-z0-9._-]+(?::(?:[1-5]\d{3,4}|[6-9]\d{3}))?$/;

function checkTarget(target: string): void {
  const backslash = target.indexOf('\\');
  if (backslash !== -1) {
    const query = target.indexOf('?');
    if (query === -1 || backslash < query) throw new BadRequest('a backslash in the request path');
  }
}

function urlOf(incoming: IncomingMessage, defaultHost: string): string {
  const target = incoming.url ?? '';
  if (target[0] !== '/' && (target.startsWith('http://') || target.startsWith('https://'))) {
    checkTarget(target);
    return new URL(target).href;
  }
  const host = incoming.headers.host || defaultHost;
  const url = `http://${host}${target}`;
  if (!SIMPLE_HOST.test(host)) {
    checkTarget(target);
    const parsed = new URL(url);
    if (
      parsed.hostname.length !== host.length &&
      parsed.hostname !== (host.includes(':') ? host.replace(/:\d+$/, '') : host).toLowerCase()
    ) {
      throw new BadRequest('an invalid Host');
    }
    return parsed.href;
  }
  if (target.length === 0) return `${url}/`;
  if (target.charCodeAt(0) !== 47) throw new BadRequest('a target that is not a path');
  if (!SIMPLE_TARGET.test(target) || DOT_SEGMENT.test(target)) {
    checkTarget(target);
    return new URL(url).href;
  }
  return url;
}

/** The real Request of `incoming`, for an app that asks a LightRequest for more than its method, URL and headers. */
function realRequest(incoming: IncomingMessage, outgoing: ServerResponse, url: string, method: string, headers: Headers): Request {
  const aborted = new AbortController();
  outgoing.once('close', () => {
    if (!outgoing.writableFinished) aborted.abort(new Error('the client closed the connection before the answer was sent'));
  });
  const withBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    signal: aborted.signal,
    ...(withBody ? { body: Readable.toWeb(incoming) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

/** Writes a real Response whole: its body read to the end, with its length unless it gives one. */
async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  const body = response.body === null ? undefined : new Uint8Array(await response.arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  if (body !== undefined && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined)
    headers['content-length'] = String(body.byteLength);
  outgoing.writeHead(response.status, headers).end(body);
}

/** Answers `incoming` with what `fetch` makes of it. */
async function handle(
  fetch: Fetch,
  { LightRequest, LightResponse }: LightClasses,
  defaultHost: string,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  let request: Light.LightRequest;
  try {
    request = new LightRequest(incoming.method ?? 'GET', urlOf(incoming, defaultHost), incoming.rawHeaders, (url, method, headers) =>
      realRequest(incoming, outgoing, url, method, headers),
    );
  } catch {
    outgoing.writeHead(400, { 'Content-Length': '0' }).end();
    return;
  }
  try {
    const response = (await fetch(request as unknown as Request)) as Response | Light.LightResponse;
    const unread = response instanceof LightResponse ? response.unread() : undefined;
    if (unread !== undefined) outgoing.writeHead(unread.status, unread.headers).end(unread.body);
    else await writeResponse(response as Response, outgoing);
  } catch (error) {
    console.error(error);
    if (outgoing.headersSent) outgoing.destroy();
    else outgoing.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '22' }).end('Internal Server Error\n');
  }
}

/**
 * serve()'s server on Node, listening once it emits 'listening': the app of createApp(), which asks
 * a request for its method, URL and headers.
 */
export function server(fetch: Fetch, port: number, hostname: string, light: LightClasses): Server {
  const defaultHost = hostname.includes(':') ? `[${hostname}]` : hostname;
  return createServer((incoming, outgoing) => void handle(fetch, light, defaultHost, incoming, outgoing)).listen(port, hostname);
}
