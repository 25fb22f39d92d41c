// Mounts fetchHandler() in a server of this runtime's own (Bun.serve, or Deno.serve) next to a
// route of the app's, scrapes it, stops the server and prints what it saw (src/mount.test.ts).
import { fetchHandler } from '@runometer/server-hono';
import { closableSource, scrape, TOKEN } from './mounted.js';

interface Runtimes {
  Bun?: {
    serve(options: { port: number; hostname: string; fetch: (request: Request) => Response | Promise<Response> }): {
      port: number;
      stop(): Promise<void>;
    };
  };
  Deno?: {
    serve(
      options: { port: number; hostname: string; onListen(address: { port: number }): void },
      fetch: (request: Request) => Response | Promise<Response>,
    ): { finished: Promise<void>; shutdown(): Promise<void> };
  };
}

const meter = closableSource();
const metrics = fetchHandler(meter);
const guarded = fetchHandler(closableSource(), { auth: { token: TOKEN } });
function app(request: Request): Response | Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === '/metrics') return metrics(request);
  if (pathname === '/guarded') return guarded(request);
  return new Response('hello');
}

const { Bun, Deno } = globalThis as Runtimes;
const server: { port: number; close: () => Promise<void> } = Bun
  ? await (async () => {
      const started = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: app });
      return { port: started.port, close: () => started.stop() };
    })()
  : await new Promise((resolve) => {
      const started = Deno!.serve(
        { port: 0, hostname: '127.0.0.1', onListen: ({ port }) => resolve({ port, close: () => started.shutdown() }) },
        app,
      );
    });
const base = `http://127.0.0.1:${server.port}`;
const observed = await scrape({
  endpoint: `${base}/metrics`,
  guarded: `${base}/guarded`,
  own: `${base}/hello`,
  closeSource: () => meter.close(),
});
await server.close();
console.log(JSON.stringify({ ...observed, serverClosed: true }));
