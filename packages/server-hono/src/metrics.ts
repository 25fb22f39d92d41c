import type { Runometer, Snapshot } from '@runometer/core';
import type { Context, MiddlewareHandler } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { bearerAuth } from 'hono/bearer-auth';
import { every } from 'hono/combine';
import { compress } from 'hono/compress';
import { FORMATS, negotiate } from './formats.js';

export type MetricsAuth = { readonly token: string } | { readonly username: string; readonly password: string };

export interface MetricsOptions {
  /**
   * What Telegraf's inputs.http sends: `{ token }` for `Authorization: Bearer`, or
   * `{ username, password }` for basic auth. Compared in constant time; 401 otherwise.
   */
  readonly auth?: MetricsAuth;
  /** Called when a render fails; the scrape gets a 500 and the server keeps serving. Default: console.error. */
  readonly onError?: (error: unknown) => void;
}

const NO_STORE = { 'Cache-Control': 'no-store' };
const ALLOWED = 'GET, HEAD';
const ACCEPTABLE = Object.values(FORMATS)
  .map(({ name, contentType }) => `${name} (${contentType.split(';')[0]})`)
  .join(', ');

/** Scrapes that arrive while a render is in flight share it rather than computing their own. */
function sharedCollect(meter: Runometer<any>): () => Promise<Snapshot> {
  let inFlight: Promise<Snapshot> | undefined;
  return () =>
    (inFlight ??= meter.collect().finally(() => {
      inFlight = undefined;
    }));
}

function authMiddleware(auth: MetricsAuth): MiddlewareHandler {
  if ('token' in auth) {
    if (typeof auth.token !== 'string' || auth.token === '') throw new TypeError('auth.token must be a non-empty string');
    return bearerAuth({ token: auth.token });
  }
  const { username, password } = auth as { username: unknown; password: unknown };
  if (typeof username !== 'string' || username === '' || typeof password !== 'string') {
    throw new TypeError('auth must be { token } or { username, password } with a non-empty username');
  }
  return basicAuth({ username, password });
}

/**
 * The metrics endpoint as Hono middleware: GET and HEAD answer a render of `meter` in the
 * negotiated format (line protocol by default), other methods 405. Mount it where you like:
 * `app.use('/metrics', metrics(meter))`.
 */
export function metrics(meter: Runometer<any>, options: MetricsOptions = {}): MiddlewareHandler {
  const collect = sharedCollect(meter);
  const onError = options.onError ?? ((error: unknown) => console.error('runometer: render failed', error));

  const methods: MiddlewareHandler = async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('Method Not Allowed\n', 405, { ...NO_STORE, Allow: ALLOWED });
    await next();
  };

  const answer = async (c: Context) => {
    const format = negotiate(c.req.query('format'), c.req.header('Accept'));
    if (format === undefined) {
      return c.text(`Not Acceptable: this endpoint serves ${ACCEPTABLE}; ask with Accept or ?format=\n`, 406, NO_STORE);
    }
    let snapshot: Snapshot;
    try {
      snapshot = await collect();
    } catch (error) {
      onError(error);
      return c.text('Internal Server Error: the render failed\n', 500, NO_STORE);
    }
    return c.body(format.render(snapshot), 200, { ...NO_STORE, 'Content-Type': format.contentType, Vary: 'Accept' });
  };

  return every(methods, ...(options.auth ? [authMiddleware(options.auth)] : []), compress(), answer);
}
