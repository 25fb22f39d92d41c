import type { SnapshotSource } from '@runometer/core';
import { createApp, type AppOptions } from './app.js';
import { checkingHost, defaultAllowedHosts, type AllowedHosts } from './host.js';
import { LightRequest, LightResponse } from './light.js';
import type { Fetch, Listener } from './listener.js';
import { listening } from './node-listener.js';

export interface ServerHandle {
  readonly port: number;
  readonly hostname: string;
  /** `http://hostname:port/path`, for people to read. */
  readonly url: string;
  /**
   * Stops accepting connections, lets requests in flight end for up to `closeGracePeriod` ms,
   * then drops every connection left; resolves once the server is closed. Calling it again
   * returns the same promise.
   */
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Default 8890, Pharometer's port; 0 picks a free one. */
  readonly port?: number;
  /**
   * Default 127.0.0.1: only this machine can scrape. Listening on all interfaces ('0.0.0.0' or
   * '::') is a choice to make explicitly, e.g. for Telegraf in Docker (see the README).
   */
  readonly hostname?: string;
  /**
   * Milliseconds that `close()` lets requests in flight end before it drops their connections.
   * Default 5000, Telegraf's default scrape timeout: an answer later than that is not awaited.
   */
  readonly closeGracePeriod?: number;
  /**
   * The host names (without a port) whose requests the server answers, by the Host header; any
   * other gets 421 first. Default: listening on loopback, `localhost`, `127.0.0.1`, `[::1]` and
   * `hostname` itself (a DNS-rebinding page gets nothing); elsewhere `'any'`.
   */
  readonly allowedHosts?: AllowedHosts;
  /**
   * Default false. True: neither the server nor the connections it accepts keep the process alive,
   * so a process whose own work has ended exits though the endpoint still listens (a preloaded meter's).
   */
  readonly unref?: boolean;
}

export interface ServeOptions extends AppOptions, ListenOptions {}

/**
 * Serves any fetch handler (a Hono app of your own, say, with `metrics()` mounted in it) on the
 * runtime this runs on: Bun.serve where there is one, else Deno.serve, else node:http through
 * @hono/node-server.
 */
export async function serveApp(app: { fetch: Fetch }, options: ListenOptions & { readonly path?: string } = {}): Promise<ServerHandle> {
  return start(app.fetch, options, 'any app');
}

/**
 * What serveApp() and serve() listen with on Node: @hono/node-server for any app; for serve()'s
 * own app (createApp()), node:http with the requests and answers of light.ts, which spare a
 * scrape Node's fetch implementation. Either way the Host check comes first.
 */
type NodeListener = 'any app' | 'own app';

async function start(fetch: Fetch, options: ListenOptions & { readonly path?: string }, node: NodeListener): Promise<ServerHandle> {
  const {
    port = 8890,
    hostname = '127.0.0.1',
    path = '/',
    closeGracePeriod = 5000,
    allowedHosts = defaultAllowedHosts(hostname),
    unref = false,
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  if (typeof closeGracePeriod !== 'number' || !Number.isFinite(closeGracePeriod) || closeGracePeriod < 0) {
    throw new RangeError(`closeGracePeriod must be a finite number of milliseconds ≥ 0, got ${closeGracePeriod}`);
  }
  if (typeof unref !== 'boolean') throw new TypeError(`unref must be a boolean, got ${typeof unref}`);
  const listener = await listen(checkingHost(fetch, allowedHosts), port, hostname, node);
  if (unref) listener.unref();
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= closeWithin(listener, closeGracePeriod));
  return { port: listener.port, hostname, url: `http://${host}:${listener.port}${path}`, close };
}

/** Starts the listener of what this runtime offers, tested by feature rather than by the runtime's name. */
async function listen(fetch: Fetch, port: number, hostname: string, node: NodeListener): Promise<Listener> {
  const { Bun, Deno } = globalThis as { Bun?: { serve?: unknown }; Deno?: { serve?: unknown } };
  if (typeof Bun?.serve === 'function') return (await import('./listen-bun.js')).listen(fetch, port, hostname);
  if (typeof Deno?.serve === 'function') return (await import('./listen-deno.js')).listen(fetch, port, hostname);
  const server =
    node === 'own app'
      ? (await import('./listen-node-light.js')).server(fetch, port, hostname, { LightRequest, LightResponse })
      : (await import('./listen-node.js')).server(fetch, port, hostname);
  return listening(server);
}

/** Closes gracefully, and after `gracePeriod` ms drops whatever still holds the server open. */
async function closeWithin(listener: Listener, gracePeriod: number): Promise<void> {
  const closed = listener.close();
  const timer = setTimeout(() => listener.closeAll(), gracePeriod);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Serves `source` (a meter, or any SnapshotSource) over HTTP on the runtime this runs on, at
 * 127.0.0.1:8890 unless told otherwise.
 */
export async function serve(source: SnapshotSource, options: ServeOptions = {}): Promise<ServerHandle> {
  const { port, hostname, closeGracePeriod, allowedHosts, unref, ...appOptions } = options;
  return start(
    createApp(source, appOptions).fetch,
    { port, hostname, closeGracePeriod, allowedHosts, unref, path: appOptions.path },
    'own app',
  );
}
