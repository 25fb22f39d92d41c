import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve } from '@runometer/server-hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDINGS_SHOWN, MAX_BODY_BYTES, PROMETHEUS_ACCEPT } from './check.js';
import { runCli } from '../test/run-cli.js';

describe('runometer check against a real server-hono endpoint', () => {
  it('finds nothing wrong with the four presets served on Node', async () => {
    const meter = new Runometer('checked').addTag('app', 'cli').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
    const server = await serve(meter, { port: 0 });
    try {
      const { status, stdout, stderr } = await runCli('check', server.url);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^influx: \d+ lines, \d+ field keys, runtime node\nprometheus: OpenMetrics, \d+ samples\n/);
      expect(stdout.endsWith(`${server.url}: clean\n`)).toBe(true);
      expect(status).toBe(0);
    } finally {
      await server.close();
      await meter.close();
    }
  });
});

describe('runometer check against an endpoint served with auth', () => {
  it('sends the token or the basic credentials given, and exits with status 2 without them', async () => {
    const meter = new Runometer('checked').use(MemoryPreset);
    const [bearer, basic] = await Promise.all([
      serve(meter, { port: 0, auth: { token: 'secret' } }),
      serve(meter, { port: 0, auth: { username: 'telegraf', password: 'pass word' } }),
    ]);
    try {
      expect(await runCli('check', bearer.url, '--token', 'secret')).toMatchObject({
        status: 0,
        stdout: expect.stringContaining(': clean\n'),
      });
      expect(await runCli('check', basic.url, '--username', 'telegraf', '--password', 'pass word')).toMatchObject({ status: 0 });
      expect(await runCli('check', bearer.url)).toMatchObject({
        status: 2,
        stderr: expect.stringContaining(`${bearer.url} answered 401 Unauthorized`),
      });
      expect(await runCli('check', basic.url, '--token', 'secret', '--username', 'telegraf')).toMatchObject({
        status: 2,
        stderr: expect.stringContaining('give --token or --username and --password, not both'),
      });
    } finally {
      await Promise.all([bearer.close(), basic.close()]);
      await meter.close();
    }
  });
});

describe('runometer check against broken bodies', () => {
  /** What the test server answers next, by the scrape's Accept header: Telegraf sends none. */
  let bodies: { influx: string[]; prometheus: string; contentType?: string; status?: number } = { influx: [], prometheus: '' };
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      const prometheus = request.headers.accept === PROMETHEUS_ACCEPT;
      const type = prometheus
        ? (bodies.contentType ?? 'application/openmetrics-text; version=1.0.0; charset=utf-8')
        : 'text/plain; charset=utf-8';
      response.writeHead(bodies.status ?? 200, { 'content-type': type });
      response.end(prometheus ? bodies.prometheus : bodies.influx.length > 1 ? bodies.influx.shift() : bodies.influx[0]);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const OK_INFLUX = 'app,host=a up=1i\n';
  const OK_PROMETHEUS = '# TYPE app_up gauge\napp_up{host="a"} 1\n# EOF\n';

  it.each([
    [{ influx: ['app,host=a up=1i\napp,host=a up=\n'] }, ['influx: line 2 is not valid line protocol: ']],
    [
      { influx: ['app up=1i\n', 'app up=1.5\n'] },
      ['influx: field "up" of "app" is integer in scrape 1 and float in scrape 2: InfluxDB rejects the write that changes a field\'s type'],
    ],
    [{ influx: ['app,kind=a n=1i\napp,kind=b n="x"\n'] }, ['influx: field "n" of "app" is integer in scrape 1 and string in scrape 1']],
    [{ influx: ['\n'] }, ['influx: the body holds no line of line protocol']],
    [{ prometheus: '# TYPE app_up gauge\n# TYPE app_up gauge\napp_up 1\n# EOF\n' }, ['prometheus: line 2: TYPE of "app_up" given twice']],
    [
      { prometheus: '# TYPE app_up gauge\napp_up{a="1",b="2"} 1\napp_up{b="2",a="1"} 2\n# EOF\n' },
      ['prometheus: line 3: sample app_up{a="1",b="2"} given twice'],
    ],
    [
      { prometheus: '# TYPE app_gc counter\napp_gc_total 1\n# TYPE app_gc_total gauge\napp_gc_total{a="1"} 2\n# EOF\n' },
      ['prometheus: line 3: families "app_gc" and "app_gc_total" both name samples "app_gc_total"'],
    ],
    [{ prometheus: '# TYPE app_up gauge\napp_up 1\n' }, ['prometheus: the OpenMetrics body does not end with "# EOF"']],
    [{ prometheus: '# TYPE app_up gauge\napp_up{a=1} 1\n# EOF\n' }, ['prometheus: line 2 is not a sample: "app_up{a=1} 1"']],
    [
      { prometheus: '# TYPE app_wait histogram\napp_wait_bucket{le="1.0"} 2\napp_wait_sum 3\napp_wait_count 2\n# EOF\n' },
      ['prometheus: line 2: app_wait{} has no le="+Inf" bucket'],
    ],
    [
      { prometheus: '# TYPE app_up gauge\napp_up 1\n# EOF\n', contentType: 'text/plain; version=0.0.4' },
      ['prometheus: line 3: "# EOF" in a Prometheus text body'],
    ],
  ])('reports %j and exits with status 1', async (broken, expected) => {
    bodies = { influx: [OK_INFLUX], prometheus: OK_PROMETHEUS, ...broken };
    const { status, stdout } = await runCli('check', url);
    const findings = stdout.split('\n').filter((line) => line.startsWith('✗ '));
    expect(findings).toHaveLength(expected.length);
    expected.forEach((finding, i) => expect(findings[i]).toContain(`✗ ${finding}`));
    expect(stdout).toContain(`${url}: ${expected.length} finding${expected.length === 1 ? '' : 's'}\n`);
    expect(status).toBe(1);
  });

  it('expects every field of a preset in use that the runtime measures, and none it cannot', async () => {
    bodies = { influx: ['app,runtime=bun rss_bytes=1i,heap_size_limit_bytes=2i\n'], prometheus: OK_PROMETHEUS };
    const { status, stdout } = await runCli('check', url, '--format', 'influx');
    expect(stdout).toBe(`influx: 1 line, 2 field keys, runtime bun
✗ influx: field "heap_total_bytes" of preset memory is missing: bun measures it
✗ influx: field "heap_used_bytes" of preset memory is missing: bun measures it
✗ influx: field "external_bytes" of preset memory is missing: bun measures it
✗ influx: field "heap_size_limit_bytes" of preset memory is there, but bun cannot measure it (no heapStatistics)
✗ influx: field "virtual_memory_bytes" of preset memory is missing: bun measures it
✗ influx: field "data_and_stack_bytes" of preset memory is missing: bun measures it
✗ influx: field "available_memory_bytes" of preset memory is missing: bun measures it
${url}: 7 findings
`);
    expect(status).toBe(1);
  });

  it('checks Node against its line (runtime_version), and no field of a Node line never checked', async () => {
    bodies = {
      influx: ['app,runtime=node,runtime_version=24.22.3 rss_bytes=1i,heap_used_bytes=2i,heap_total_bytes=3i\n'],
      prometheus: OK_PROMETHEUS,
    };
    const { stdout } = await runCli('check', url, '--format', 'influx');
    expect(stdout.split('\n')[0]).toBe('influx: 1 line, 3 field keys, runtime node');
    expect(stdout).toContain('✗ influx: field "array_buffers_bytes" of preset memory is missing: node measures it\n');
    bodies = { influx: ['app,runtime=node,runtime_version=23.11.0 rss_bytes=1i\n'], prometheus: OK_PROMETHEUS };
    expect(await runCli('check', url, '--format', 'influx')).toEqual({
      status: 0,
      stdout: `influx: 1 line, 1 field key, runtime node, never checked (fields not checked against the catalog)\n${url}: clean\n`,
      stderr: '',
    });
  });

  it('names the permission a field missing on Deno needs, and checks no field without a runtime tag', async () => {
    bodies = { influx: ['app,runtime=deno rss_bytes=1i\n'], prometheus: OK_PROMETHEUS };
    expect((await runCli('check', url, '--format', 'influx')).stdout).toContain(
      '✗ influx: field "virtual_memory_bytes" of preset memory is missing: deno measures it (it needs --allow-all)\n',
    );
    bodies = { influx: ['app rss_bytes=1i\n'], prometheus: OK_PROMETHEUS };
    expect(await runCli('check', url, '--format', 'influx')).toEqual({
      status: 0,
      stdout: `influx: 1 line, 1 field key, no runtime tag (fields not checked against the catalog)\n${url}: clean\n`,
      stderr: '',
    });
  });

  it('says plainly that an endpoint whose body holds no line protocol is not a Runometer endpoint, once, and names at most FINDINGS_SHOWN wrong lines of a scrape', async () => {
    // A web page: every line fails both parsers, 400 times each.
    const page = `<!DOCTYPE html>\n<html><body>\n${Array.from({ length: 400 }, (_, i) => `<p>${i}</p>`).join('\n')}\n</body></html>\n`;
    bodies = { influx: [page], prometheus: page, contentType: 'text/html; charset=utf-8' };
    const { status, stdout, stderr } = await runCli('check', url);
    const lines = stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'influx: none of 403 lines parses as line protocol',
      'prometheus: "text/html; charset=utf-8", 403 samples',
      '✗ influx: this does not look like a Runometer endpoint: no line of its body parses as line protocol (content type "text/plain; charset=utf-8", ' +
        `first characters: ${JSON.stringify(`${page.slice(0, 100)}…`)})`,
    ]);
    expect(FINDINGS_SHOWN).toBe(10);
    expect(lines.slice(3, 3 + FINDINGS_SHOWN).every((line) => line.startsWith('✗ prometheus: line '))).toBe(true);
    expect(lines.slice(3 + FINDINGS_SHOWN)).toEqual([
      `✗ prometheus: … and ${403 - FINDINGS_SHOWN} more lines found wrong, not shown`,
      `${url}: 404 findings`,
      '',
    ]);
    expect([status, stderr]).toEqual([1, '']);
  });

  it('says that a Prometheus exporter is not a Runometer endpoint, and that --format prometheus checks it', async () => {
    const exporter =
      '# HELP process_cpu_seconds_total Total CPU time.\n# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 0.5\n';
    bodies = { influx: [exporter], prometheus: OK_PROMETHEUS };
    expect(await runCli('check', url, '--format', 'influx')).toEqual({
      status: 1,
      stdout:
        'influx: none of 1 line parses as line protocol\n' +
        '✗ influx: this does not look like a Runometer endpoint: no line of its body parses as line protocol (content type "text/plain; charset=utf-8", ' +
        `first characters: ${JSON.stringify(`${exporter.slice(0, 100)}…`)}); ` +
        'it reads as Prometheus text or OpenMetrics, which --format prometheus checks alone\n' +
        `${url}: 1 finding\n`,
      stderr: '',
    });
    // A body with one good line among bad ones is a meter with broken lines: each is named.
    bodies = { influx: [`${OK_INFLUX}${'app,host=a up=\n'.repeat(30)}`], prometheus: OK_PROMETHEUS };
    const { stdout } = await runCli('check', url, '--format', 'influx');
    expect(stdout.split('\n').filter((line) => line.startsWith('✗ influx: line '))).toHaveLength(FINDINGS_SHOWN);
    expect(stdout).toContain(`✗ influx: … and ${30 - FINDINGS_SHOWN} more lines found wrong, not shown\n${url}: 30 findings\n`);
  });

  it.each([
    [{ status: 404 }, `answered 404 Not Found`],
    [{ status: 500 }, `answered 500 Internal Server Error`],
  ])('exits with status 2 when the endpoint answers %j', async (broken, message) => {
    bodies = { influx: [OK_INFLUX], prometheus: OK_PROMETHEUS, ...broken };
    const { status, stderr } = await runCli('check', url);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
  });

  it('exits with status 2 when nothing listens, and on a bad URL or format', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    expect(await runCli('check', `http://127.0.0.1:${port}/`)).toMatchObject({
      status: 2,
      stderr: expect.stringContaining(`could not scrape http://127.0.0.1:${port}/: `),
    });
    expect(await runCli('check', 'localhost:8890')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('URL "localhost:8890" is not an http or https URL'),
    });
    expect(await runCli('check', url, '--format', 'json')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('--format "json" is neither influx nor prometheus'),
    });
    expect(await runCli('check')).toMatchObject({ status: 2, stderr: expect.stringContaining('give the URL of an endpoint') });
    expect(await runCli('check', url, url)).toMatchObject({
      status: 2,
      stderr: `runometer: check: unexpected argument "${url}"\nrunometer --help prints the usage\n`,
    });
  });

  it('names a port out of range, and the ports fetch refuses to scrape, in words of its own', async () => {
    for (const port of ['99999', '0', '65536']) {
      expect(await runCli('check', `http://127.0.0.1:${port}/`)).toEqual({
        status: 2,
        stdout: '',
        stderr: `runometer: URL "http://127.0.0.1:${port}/": port ${port} is out of range (1–65535)\nrunometer --help prints the usage\n`,
      });
    }
    // Ports of the Fetch standard's blocklist: fetch connects to none (X11's 6000 here), where node printed only "bad port".
    expect(await runCli('check', 'http://127.0.0.1:6000/')).toEqual({
      status: 2,
      stdout: '',
      stderr:
        'runometer: could not scrape http://127.0.0.1:6000/: fetch, which runometer check scrapes with, refuses port 6000 ("bad port": the Fetch standard blocks it, as browsers do); ' +
        'Telegraf and Prometheus do not: serve the endpoint on another port to check it\n',
    });
  });
});

describe('runometer check against a hostile endpoint', () => {
  const ESCAPES = '\u001b]0;pwned\u0007\u001b[2J\u009b2J';
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const bomb = gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1, 'a'));
    server = createServer((request, response) => {
      response.on('error', () => {});
      switch (request.url) {
        case '/stall':
          // Headers and a first line, then nothing: the timeout falls mid-body.
          response.writeHead(200, { 'content-type': 'text/plain' }).write('app up=1i\n');
          return;
        case '/huge': {
          response.writeHead(200, { 'content-type': 'text/plain' });
          const chunk = Buffer.alloc(1 << 20, 'app up=1i\n');
          let sent = 0;
          const more = () => {
            while (sent <= MAX_BODY_BYTES && !response.destroyed) {
              sent += chunk.length;
              if (!response.write(chunk)) return void response.once('drain', more);
            }
            response.end();
          };
          return more();
        }
        case '/bomb':
          response.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb);
          return;
        case '/escapes':
          response.writeHead(500, { 'content-type': 'text/plain' }).end(`${ESCAPES}\n${base}/escapes: clean\n`);
          return;
        case '/escapes-in-findings':
          response.writeHead(200, { 'content-type': 'text/plain' }).end(`app up=${ESCAPES}\n`);
          return;
        default:
          response.writeHead(500, { 'content-type': 'text/plain' }).end('x'.repeat(1 << 20));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('exits with status 2, in one line, when the body stops coming before the timeout', async () => {
    expect(await runCli('check', `${base}/stall`, '--format', 'influx')).toEqual({
      status: 2,
      stdout: '',
      stderr: `runometer: could not scrape ${base}/stall: no complete answer within 5 s\n`,
    });
  }, 20_000);

  it.each(['/huge', '/bomb'])(
    'reads at most MAX_BODY_BYTES (32 MiB) of a body, decompressed: %s exits with status 2',
    async (path) => {
      expect(MAX_BODY_BYTES).toBe(32 * 1024 * 1024);
      expect(await runCli('check', `${base}${path}`, '--format', 'influx')).toEqual({
        status: 2,
        stdout: '',
        stderr: `runometer: ${base}${path}: the body (decompressed) passes 32 MiB, the most runometer check reads (MAX_BODY_BYTES)\n`,
      });
    },
    20_000,
  );

  it("shows an error body's control characters escaped, and only its first 200 characters", async () => {
    expect(await runCli('check', `${base}/escapes`, '--format', 'influx')).toEqual({
      status: 2,
      stdout: '',
      stderr: `runometer: ${base}/escapes answered 500 Internal Server Error: \\x1b]0;pwned\\x07\\x1b[2J\\x9b2J\\n${base}/escapes: clean\\n\n`,
    });
    expect(await runCli('check', `${base}/long-error`, '--format', 'influx')).toEqual({
      status: 2,
      stdout: '',
      stderr: `runometer: ${base}/long-error answered 500 Internal Server Error: ${'x'.repeat(200)}\n`,
    });
  });

  it('shows control characters in findings escaped', async () => {
    const { status, stdout } = await runCli('check', `${base}/escapes-in-findings`, '--format', 'influx');
    expect(status).toBe(1);
    // Core's parser quotes the line as JSON (C0 as \u001b); C1's CSI (U+009B) came through raw.
    expect(stdout).toContain('\\u001b[2J\\x9b2J');
    expect(stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('refuses credentials in the URL, naming it redacted, and redacts secret query parameters wherever it prints the URL', async () => {
    const port = new URL(base).port;
    expect(await runCli('check', `http://admin:hunter2@127.0.0.1:${port}/`)).toEqual({
      status: 2,
      stdout: '',
      stderr: `runometer: URL "http://***@127.0.0.1:${port}/" holds credentials: give them with --username and --password\nrunometer --help prints the usage\n`,
    });
    expect(await runCli('check', `${base}/escapes?token=hunter2`, '--format', 'influx')).toMatchObject({
      status: 2,
      stderr: expect.stringMatching(new RegExp(`^runometer: ${base}/escapes\\?token=\\*\\*\\* answered 500 `)),
    });
  });
});
