import type { Fetch, Listener } from './listener.js';
import { answeringNatively } from './native-response.js';

interface DenoServer {
  readonly addr: { port: number };
  shutdown(): Promise<void>;
  unref(): void;
}
declare const Deno: { serve(options: { port: number; hostname: string; onListen?: () => void }, handler: Fetch): DenoServer };

const closing = () =>
  new Response('Service Unavailable: the server is closing\n', { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });

export async function listen(fetch: Fetch, port: number, hostname: string): Promise<Listener> {
  // Deno's shutdown() waits for every answer, and aborting the server once it has begun throws
  // (BadResource): the answers still awaited when the grace period ends are given a 503 instead.
  const awaited = new Set<(response: Response) => void>();
  const nativeFetch = answeringNatively(fetch);
  const handler: Fetch = (request, info) => {
    const answer = nativeFetch(request, info);
    if (!(answer instanceof Promise)) return answer;
    return new Promise<Response>((resolve, reject) => {
      awaited.add(resolve);
      answer.then(
        (response) => {
          awaited.delete(resolve);
          resolve(response);
        },
        (error: unknown) => {
          awaited.delete(resolve);
          reject(error);
        },
      );
    });
  };
  // onListen silences Deno's own "Listening on" line: serve() says where, to whom it chooses.
  const server = Deno.serve({ port, hostname, onListen: () => {} }, handler);
  return {
    port: server.addr.port,
    close: () => server.shutdown(),
    closeAll: () => {
      for (const answer of awaited) answer(closing());
      awaited.clear();
    },
    unref: () => server.unref(),
  };
}
