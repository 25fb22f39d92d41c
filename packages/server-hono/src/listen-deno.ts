import type { Fetch, Listener } from './serve.js';

interface DenoServer {
  readonly addr: { port: number };
  shutdown(): Promise<void>;
}
declare const Deno: { serve(options: { port: number; hostname: string; onListen?: () => void }, handler: Fetch): DenoServer };

export async function listen(fetch: Fetch, port: number, hostname: string): Promise<Listener> {
  // onListen silences Deno's own "Listening on" line: serve() says where, to whom it chooses.
  const server = Deno.serve({ port, hostname, onListen: () => {} }, fetch);
  return { port: server.addr.port, close: () => server.shutdown() };
}
