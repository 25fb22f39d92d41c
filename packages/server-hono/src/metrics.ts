import { FORMATS, negotiate, type Format, type SnapshotSource } from '@runometer/core';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { authMiddleware, type MetricsAuth } from './auth.js';
import { gzippedBody, prefersGzip } from './gzip.js';
import { allowedHostSet, hostAllowed, misdirected, type AllowedHosts } from './host.js';
import { endpointResponse } from './light.js';
import { onFirstUse } from './on-first-use.js';
import { renderCache, type Body } from './render-cache.js';
import { SECURITY_HEADERS, secured } from './security-headers.js';
import { VIEW_PAGE, VIEW_PAGE_HEADERS } from './view/page.js';
import { prefersHtml } from './view/prefers-html.js';

export type { MetricsAuth } from './auth.js';
export type { AllowedHosts } from './host.js';

export interface MetricsOptions {
  /**
   * What Telegraf's inputs.http sends: `{ token }` for `Authorization: Bearer`, or
   * `{ username, password }` for basic auth. Compared in constant time; 401 otherwise.
   */
  readonly auth?: MetricsAuth;
  /** Called when a render fails; the scrape gets a 500 and the server keeps serving. Default: console.error. */
  readonly onError?: (error: unknown) => void;
  /**
   * Milliseconds during which a render is served again rather than made anew: a flood of
   * scrapes costs at most one render per interval. Default 1000; 0 renders for every scrape
   * (scrapes read in the same turn of the event loop still share one).
   */
  readonly minRenderInterval?: number;
  /**
   * The host names (without a port: any port) whose requests are answered, by the Host header;
   * any other gets 421 before anything else is looked at, so that a DNS-rebinding page learns
   * nothing. Mounted in an app of your own (createApp, metrics, metricsApp, requestListener,
   * fetchHandler) the default is `'any'`: the app owns its Host policy. `serve()` and `serveApp()`
   * check it for the whole server instead, by default the loopback's names when they listen on
   * loopback.
   */
  readonly allowedHosts?: AllowedHosts;
}

const NO_STORE = { ...SECURITY_HEADERS, 'Cache-Control': 'no-store' };
const ALLOWED = 'GET, HEAD';
const ACCEPTABLE = Object.values(FORMATS)
  .map(({ name, contentType }) => `${name} (${contentType.split(';')[0]})`)
  .join(', ');

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'no prototype'})`;
  return typeof value === 'string' ? `string ${JSON.stringify(value)}` : `${typeof value} ${String(value)}`;
}

/** How messages name `source`. */
function nameOf(source: SnapshotSource): string {
  return source.name === undefined ? 'the snapshot source' : `source "${source.name}"`;
}

/** Refuses, when the server is made, a source that could never be served. */
function checkSource(source: unknown): asserts source is SnapshotSource {
  const candidate = source as Partial<SnapshotSource> | null | undefined;
  if (candidate === null || typeof candidate !== 'object' || typeof candidate.collect !== 'function') {
    throw new TypeError(`expected a snapshot source to serve (an object with collect(), such as a Runometer), got ${describe(source)}`);
  }
  if (candidate.name !== undefined && typeof candidate.name !== 'string')
    throw new TypeError(`source.name must be a string, got ${describe(candidate.name)}`);
  if (candidate.closed !== undefined && typeof candidate.closed !== 'boolean') {
    throw new TypeError(`source.closed must be a boolean, got ${describe(candidate.closed)}`);
  }
  if (candidate.closed)
    throw new TypeError(`${nameOf(candidate as SnapshotSource)} is closed: a closed source renders no more, serve an open one`);
}

function checkInterval(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`minRenderInterval must be a finite number of milliseconds ≥ 0, got ${describe(value)}`);
  }
  return value;
}

/**
 * The metrics endpoint as Hono middleware: GET and HEAD answer a render of `source` (a meter, or
 * any SnapshotSource) in the negotiated format (line protocol by default; the live view's page to
 * a browser), other methods 405. Mount it where you like: `app.use('/metrics', metrics(meter))`.
 */
export function metrics(source: SnapshotSource, options: MetricsOptions = {}): MiddlewareHandler {
  return endpoint(source, options).metrics;
}

/** The endpoint, and its live view (`<path>/view`), which shares its renders and its auth. */
export interface Endpoint {
  /** Answers a format, or the page to a request that prefers HTML to every format. */
  readonly metrics: MiddlewareHandler;
  /** Answers the page, or a format to a request that prefers it to HTML (the page's polls). */
  readonly view: MiddlewareHandler;
  /**
   * 404 for a path the endpoint does not serve, after the same Host check and auth: a server
   * that is only the endpoint (createApp on its own) tells a stranger nothing about its paths.
   */
  readonly notFound: (c: Context) => Response | Promise<Response>;
}

/** The endpoint's handlers over one render cache, one Host check and one auth: what createApp and metricsApp route to. */
export function endpoint(source: SnapshotSource, options: MetricsOptions = {}): Endpoint {
  checkSource(source);
  const { onError = (error: unknown) => console.error('runometer: render failed', error), minRenderInterval = 1000 } = options;
  if (typeof onError !== 'function') throw new TypeError(`onError must be a function, got ${describe(onError)}`);
  const bodyFor = renderCache(() => source.collect(), {
    minRenderInterval: checkInterval(minRenderInterval),
    now: () => performance.now(),
  });

  // A LightResponse to serve()'s requests on Node (light.ts), which spares a scrape Node's fetch implementation.
  const send = (c: Context, format: Format, body: Body, gzipWelcome: boolean) => {
    const secure = format === VIEW_PAGE ? VIEW_PAGE_HEADERS : SECURITY_HEADERS;
    const gzipped = gzipWelcome ? gzippedBody(body) : undefined;
    if (gzipped !== undefined) {
      return endpointResponse(c.req.raw, gzipped, {
        status: 200,
        headers: {
          ...secure,
          'Content-Type': format.contentType,
          'Content-Length': String(gzipped.length),
          'Content-Encoding': 'gzip',
          'Cache-Control': 'no-store',
          Vary: 'Accept, Accept-Encoding',
        },
      });
    }
    return endpointResponse(c.req.raw, body.content, {
      status: 200,
      // The length is set even for HEAD: Bun and Deno would otherwise announce 0.
      headers: {
        ...secure,
        'Content-Type': format.contentType,
        'Content-Length': String(body.bytes),
        'Cache-Control': 'no-store',
        Vary: 'Accept',
      },
    });
  };
  const failed = (c: Context, error: unknown) => {
    onError(error);
    return c.text('Internal Server Error: the render failed\n', 500, NO_STORE);
  };

  /**
   * Synchronous while the last render is fresh: no promise to wait for, and Bun answers pipelined
   * requests. With `gzipWelcome`, a GET is answered with the render's gzipped body.
   */
  const answer = (c: Context, htmlFirst: boolean, gzipWelcome = false): Response | Promise<Response> => {
    // Only a URL with a query has a ?format= to read.
    const formatParameter = c.req.url.includes('?') ? c.req.query('format') : undefined;
    const accept = c.req.header('Accept');
    const format = formatParameter === undefined && prefersHtml(accept, htmlFirst) ? VIEW_PAGE : negotiate(formatParameter, accept);
    if (format === undefined) {
      return c.text(`Not Acceptable: this endpoint serves ${ACCEPTABLE}; ask with Accept or ?format=\n`, 406, NO_STORE);
    }
    if (source.closed === true) return c.text(`Service Unavailable: ${nameOf(source)} is closed\n`, 503, NO_STORE);
    const gzip = gzipWelcome && c.req.method === 'GET';
    try {
      const body = bodyFor(format);
      return body instanceof Promise
        ? body.then(
            (ready) => send(c, format, ready, gzip),
            (error: unknown) => failed(c, error),
          )
        : send(c, format, body, gzip);
    } catch (error) {
      return failed(c, error);
    }
  };

  /**
   * Hono's 401 or 400, said to be text: getResponse() copies the body as a stream, which Bun
   * would otherwise send as application/octet-stream.
   */
  const refusal = (error: HTTPException) => {
    const response = error.getResponse();
    if (!response.headers.has('Content-Type')) response.headers.set('Content-Type', 'text/plain; charset=UTF-8');
    return secured(response);
  };
  const auth = options.auth === undefined ? undefined : authMiddleware(options.auth);
  const hosts = options.allowedHosts === undefined ? undefined : allowedHostSet(options.allowedHosts);
  const compressEach = onFirstUse(() => import('hono/compress').then(({ compress }) => compress()));
  /** gzip from the render's own cache; any other coding compressed for each request by Hono's compress. */
  const encoded = (c: Context, htmlFirst: boolean, acceptEncoding: string): Response | Promise<Response> => {
    if (prefersGzip(acceptEncoding)) return answer(c, htmlFirst, true);
    return compressEach(c, async () => {
      c.res = await answer(c, htmlFirst);
    }).then(() => c.res);
  };
  const respond = (c: Context, htmlFirst: boolean) => {
    const acceptEncoding = c.req.header('Accept-Encoding');
    return acceptEncoding === undefined ? answer(c, htmlFirst) : encoded(c, htmlFirst, acceptEncoding);
  };
  /** Hono's auth, then `then`: a stranger gets 401 (or 400) whatever the method or path. */
  const authorized = async (c: Context, then: (c: Context) => Response | Promise<Response>) => {
    try {
      // Hono's auth middleware calls next only for good credentials, and throws its 401 (or
      // 400) otherwise: answered here, whatever error handler the surrounding app has.
      await auth!(c, async () => {});
    } catch (error) {
      if (error instanceof HTTPException) return refusal(error);
      throw error;
    }
    return then(c);
  };
  /**
   * The Host check, then auth, then `then`: what a request from a host not allowed, or without
   * credentials, learns is the same whatever it asked (no 404, 405 or 406 tells it the endpoint
   * is there). Synchronous without auth.
   */
  const guard = (c: Context, then: (c: Context) => Response | Promise<Response>): Response | Promise<Response> => {
    if (hosts !== undefined) {
      const host = c.req.header('Host');
      if (!hostAllowed(hosts, host)) return misdirected(c.req.method, host);
    }
    return auth === undefined ? then(c) : authorized(c, then);
  };

  // One function rather than a chain of middleware (hono/combine): under load the chain's
  // bookkeeping took a fifth of the served throughput (bench/http.bench.js prints the share of a bare route).
  const handler = (htmlFirst: boolean) => {
    const allowed = (c: Context) => {
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('Method Not Allowed\n', 405, { ...NO_STORE, Allow: ALLOWED });
      return respond(c, htmlFirst);
    };
    return ((c: Context) => guard(c, allowed)) as MiddlewareHandler;
  };
  const notFound = (c: Context) => c.text('Not Found\n', 404, NO_STORE);
  return { metrics: handler(false), view: handler(true), notFound: (c) => guard(c, notFound) };
}
