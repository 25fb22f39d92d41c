import { describe, expect, test } from 'vitest';
import { runOn } from './runtimes.js';
import { servePresets } from './serve-presets.js';

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
    closed: true,
  };
}

describe('serve() starts a real server, answers fetch on loopback, and stops', () => {
  test('on Node', async () => {
    expect(await servePresets()).toEqual(expected('node'));
  });

  test.each(['bun', 'deno'] as const)('on %s', async (runtime) => {
    expect(JSON.parse(await runOn(runtime, 'test/serve-presets.ts'))).toEqual(expected(runtime));
  }, 60_000);
});
