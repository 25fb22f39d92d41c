import { detectRuntime, type Runometer } from '@runometer/core';
import { createApp, type AppOptions } from './app.js';

export interface ServeOptions extends AppOptions {
  /** Default 8890, Pharometer's port; 0 picks a free one. */
  readonly port?: number;
  /**
   * Default 127.0.0.1: only this machine can scrape. Listening on all interfaces ('0.0.0.0' or
   * '::') is a choice to make explicitly, e.g. for Telegraf in Docker (see the README).
   */
  readonly hostname?: string;
}

export interface ServerHandle {
  readonly port: number;
  readonly hostname: string;
  /** `http://hostname:port/path`, for people to read. */
  readonly url: string;
  /** Stops accepting connections and resolves once those in flight are answered. */
  close(): Promise<void>;
}

/** What a runtime adapter starts: a fetch handler on a port, and how to stop it. */
export interface Listener {
  readonly port: number;
  close(): Promise<void>;
}

export type Fetch = (request: Request) => Response | Promise<Response>;

/** Serves `meter` over HTTP on the runtime this runs on: @hono/node-server, Bun.serve or Deno.serve. */
export async function serve(meter: Runometer<any>, options: ServeOptions = {}): Promise<ServerHandle> {
  const { port = 8890, hostname = '127.0.0.1', ...appOptions } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer from 0 to 65535, got ${port}`);
  const app = createApp(meter, appOptions);
  const runtime = detectRuntime().name;
  const adapter =
    runtime === 'bun' ? await import('./listen-bun.js') : runtime === 'deno' ? await import('./listen-deno.js') : await import('./listen-node.js');
  const listener = await adapter.listen(app.fetch, port, hostname);
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  return {
    port: listener.port,
    hostname,
    url: `http://${host}:${listener.port}${appOptions.path ?? '/'}`,
    close: () => listener.close(),
  };
}
