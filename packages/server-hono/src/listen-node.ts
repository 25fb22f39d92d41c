import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { Fetch, Listener } from './listener.js';
import { listening } from './node-listener.js';

/** serveApp()'s listener on Node: any app, through @hono/node-server. */
export function listen(fetch: Fetch, port: number, hostname: string): Promise<Listener> {
  return listening(serve({ fetch, port, hostname }) as Server);
}
