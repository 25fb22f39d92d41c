// The http preset's Hono middleware on a real server (server-hono's serveApp: Bun.serve, Deno.serve
// or node:http) in whatever runtime runs this file, driven by the known requests of the preset's
// tests; prints what it saw as JSON when run as a script (Bun and Deno).
import { serveApp } from '@runometer/server-hono';
import { honoHttpMetrics } from '@runometer/preset-http/hono';
import { Hono } from 'hono';
import { Traffic, drive, type TrafficResult } from '../packages/preset-http/test/traffic.js';

export async function honoTraffic(): Promise<TrafficResult> {
  const traffic = new Traffic();
  const users = new Hono()
    .get('/:id', (c) => {
      traffic.advance(2);
      return c.json({ id: c.req.param('id') });
    })
    .post('/', async (c) => {
      traffic.advance(3);
      await c.req.text();
      return c.text('created', 201);
    });
  const app = new Hono()
    .use(honoHttpMetrics({ recorder: traffic.recorder }))
    .route('/users', users)
    .get('/boom', () => {
      traffic.advance(1);
      throw new Error('boom');
    })
    .get('/stream', (c) => {
      traffic.advance(4);
      const chunks = ['a', 'b', 'c'];
      return c.body(
        new ReadableStream({
          pull: (controller) => (chunks.length > 0 ? controller.enqueue(new TextEncoder().encode(chunks.shift())) : controller.close()),
        }),
      );
    })
    .get('/wait', async (c) => {
      await traffic.gate;
      return c.text('done');
    })
    .get('/abort', async (c) => {
      const signal = c.req.raw.signal;
      traffic.arrivedAtAbort();
      await new Promise((resolve) => (signal.aborted ? resolve(undefined) : signal.addEventListener('abort', resolve)));
      return c.text('too late');
    })
    // Hono's default error handler prints the error; this one answers the same 500 silently.
    .onError((_error, c) => c.text('Internal Server Error', 500));
  const server = await serveApp(app, { port: 0, closeGracePeriod: 50 });
  try {
    return await drive(server.port, traffic);
  } finally {
    await server.close();
  }
}

if ((import.meta as ImportMeta & { main?: boolean }).main) console.log(JSON.stringify(await honoTraffic()));
