import { describe, expect, test } from 'vitest';
import { nameOf } from '../tools/runtimes.js';
import { CHILD_RUNTIMES, runOn } from './runtimes.js';
import { servePresets, type ServedOutput } from './serve-presets.js';

function expected(runtime: string) {
  const help = '# HELP served_rss_bytes Resident set size of the process, in bytes.';
  return {
    runtime,
    url: 'http://127.0.0.1:PORT/',
    responses: [
      {
        format: 'influx',
        status: 200,
        contentType: 'text/plain; charset=utf-8',
        firstLine: expect.stringMatching(new RegExp(`^served,runtime=${runtime},runtime_version=[0-9.]+ rss_bytes=[0-9]+i,`)),
      },
      { format: 'prometheus', status: 200, contentType: 'text/plain; version=0.0.4; charset=utf-8', firstLine: help },
      { format: 'openmetrics', status: 200, contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8', firstLine: help },
      {
        format: 'json',
        status: 200,
        contentType: 'application/json; charset=utf-8',
        firstLine: expect.stringMatching(new RegExp(`^\\{"measurement":"served","points":\\[\\{"tags":\\{"runtime":"${runtime}"`)),
      },
    ],
    statusByPath: { '/': 200, '/metrics': 200, '/metrics/': 200, '/other': 404 },
    statusByHost: { 'localhost:PORT': 200, '[::1]:PORT': 200, 'rebind.attacker.example:PORT': 421 },
    nosniff: 'nosniff',
    head: { status: 200, contentLength: expect.any(Number), body: '' },
    getBytes: expect.any(Number),
    // Bun drops a connection with pipelined requests when the first one's answer waits for a
    // later turn of the event loop: a fresh render's body answers at once, a new render does not.
    pipelined: { cached: 10, renderPerScrape: runtime === 'bun' ? 0 : 10 },
    stuckClient: { closeResolved: true, sameCloseTwice: true, socketClosed: true },
    // After the grace period Node and Bun drop the connection; Deno answers 503 (see listen-deno.ts).
    neverAnswered: { closeResolved: true, statusLine: runtime === 'deno' ? 'HTTP/1.1 503 Service Unavailable' : '' },
    closed: true,
  };
}

function check(output: ServedOutput, runtime: string) {
  expect(output).toEqual(expected(runtime));
  // HEAD announces the length GET sends (Bun and Deno would say 0 if left to themselves).
  expect(output.head.contentLength).toBe(output.getBytes);
  expect(output.getBytes).toBeGreaterThan(0);
}

describe('serve() starts a real server, answers fetch and raw sockets on loopback, and stops even with a stuck client', () => {
  test('on Node', async () => {
    check(await servePresets(), 'node');
  });

  test.each(CHILD_RUNTIMES)(
    'on %s',
    async (runtime) => {
      check(JSON.parse(await runOn(runtime, 'test/serve-presets.ts')), nameOf(runtime));
    },
    60_000,
  );
});
