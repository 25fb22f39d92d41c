import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Fetch, Listener } from './listener.js';

const IDLE_SWEEP_MS = 20;

export function listen(fetch: Fetch, port: number, hostname: string): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done, fail) => {
            // close() ends the keep-alive connections that are idle now; those answering a
            // request are ended once idle too, rather than when keep-alive times out (5 s).
            // One that never finishes a request holds the server open until closeAll.
            const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
            server.close((error) => {
              clearInterval(sweep);
              if (error) fail(error);
              else done();
            });
          }),
        closeAll: () => server.closeAllConnections(),
      });
    });
  });
}
