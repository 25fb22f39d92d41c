// A node:http server (listen-node.ts's, listen-node-light.ts's) as a Listener. In the package's
// main module, which imports only types of node:http: Bun and Deno never load it.
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Listener } from './listener.js';

const IDLE_SWEEP_MS = 20;

/** Resolves, once `server` listens, to it as a Listener; rejects if it fails to. */
export function listening(server: Server): Promise<Listener> {
  return new Promise((resolve, reject) => {
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
        unref: () => {
          server.unref();
          // A scraper's keep-alive connection would otherwise hold the process open after the app's own work ended.
          server.on('connection', (connection: Socket) => connection.unref());
        },
      });
    });
  });
}
