import { describe, expect, test } from 'vitest';
import { OTHERS } from '../tools/runtimes.js';
import { presetBody, seriesLine } from '../packages/preset-http/test/traffic.js';
import { honoTraffic } from './http-hono-traffic.js';
import { runOn } from './runtimes.js';

const expected = (runtime: string) => ({
  statuses: [200, 200, 201, 404, 500, 200, 200, 200],
  streamed: 'abc',
  inFlightWhileWaiting: '2i',
  // Hono's responses carry no Content-Length when the middleware sees them (the server adds it
  // later, or streams): response bytes are unknown, never counted as zero.
  body: presetBody(6, [
    seriesLine('GET /users/:id 2xx', 2, 0.004, 0.00204),
    seriesLine('POST /users 2xx', 1, 0.003, 0.002884, { request: 5 }),
    // Thrown by the handler, answered by the error handler.
    seriesLine('GET /boom 5xx', 1, 0.001, 0.00102),
    // Counted when the handler returns the stream: the time to its first byte.
    seriesLine('GET /stream 2xx', 1, 0.004, 0.004079),
    seriesLine('GET /wait 2xx', 2, 0, 0),
    // The handler answered after its client went away: on Node the middleware sees the closed
    // socket; elsewhere it reads no abort signal (what that costs, see the README).
    runtime === 'node' ? seriesLine('GET /abort aborted', 1, 0, 0) : seriesLine('GET /abort 2xx', 1, 0, 0),
    // No route matched: Hono's 404, from the middleware that called next() last.
    seriesLine('GET unmatched 4xx', 1, 0, 0),
  ]),
});

// On the Node running vitest and on Bun and Deno: not on node_modules' other Nodes, which run the
// built packages only, as traffic.ts drives preset-http's sources.
describe("the http preset's Hono middleware records each request under c.req.routePath, on a real server", () => {
  test('on Node', async () => {
    expect(await honoTraffic()).toEqual(expected('node'));
  }, 30_000);

  test.each(OTHERS)(
    'on %s',
    async (runtime) => {
      expect(JSON.parse(await runOn(runtime, 'test/http-hono-traffic.ts'))).toEqual(expected(runtime));
    },
    60_000,
  );
});
