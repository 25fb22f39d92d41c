import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { Fetch } from './listener.js';

/** serveApp()'s server on Node, listening once it emits 'listening': any app, through @hono/node-server. */
export function server(fetch: Fetch, port: number, hostname: string): Server {
  return serve({ fetch, port, hostname }) as Server;
}
