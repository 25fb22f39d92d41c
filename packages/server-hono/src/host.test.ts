import { Runometer } from '@runometer/core';
import { Hono } from 'hono';
import { connect } from 'node:net';
import { describe, expect, test } from 'vitest';
import { createApp } from './app.js';
import { allowedHostSet, canonicalHost, defaultAllowedHosts, hostAllowed, isLoopback, LOOPBACK_HOSTS } from './host.js';
import { metrics } from './metrics.js';
import { fetchHandler, metricsApp } from './mount.js';
import { serve, serveApp, type ServerHandle } from './serve.js';

const meter = () => new Runometer('app').addField('up', () => 1, { type: 'integer' });
const EVIL = 'rebind.attacker.example';

/** One raw HTTP/1.1 request (a Host of our choosing, or none); the status line's code, the headers and the body. */
function raw(port: number, host: string | undefined, method = 'GET', path = '/', headers: string[] = []) {
  const head = [`${method} ${path} HTTP/1.1`, ...(host === undefined ? [] : [`Host: ${host}`]), 'Connection: close', ...headers];
  return new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('end', () => {
      const [top, body = ''] = received.split('\r\n\r\n');
      const [statusLine, ...lines] = top!.split('\r\n');
      resolve({
        status: Number(statusLine!.split(' ')[1]),
        headers: Object.fromEntries(
          lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
        ),
        body,
      });
    });
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
  });
}

async function serving<T>(started: Promise<ServerHandle>, use: (server: ServerHandle) => Promise<T>): Promise<T> {
  const server = await started;
  try {
    return await use(server);
  } finally {
    await server.close();
  }
}

describe('the names of a host', () => {
  test.each([
    ['localhost', 'localhost'],
    ['LocalHost:8890', 'localhost'],
    ['localhost.:8890', 'localhost'],
    ['127.0.0.1:8890', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['[::1]:8890', '[::1]'],
    ['[0:0:0:0:0:0:0:1]', '[::1]'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['::1', undefined],
    ['user@localhost', undefined],
    ['localhost/path', undefined],
    ['localhost?x', undefined],
    ['localhost:99999', undefined],
    ['', undefined],
    ['local host', undefined],
  ])('%j is %j', (value, canonical) => {
    expect(canonicalHost(value)).toBe(canonical);
  });

  test.each([
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.20', false],
    ['metrics.internal', false],
  ])('listening on %s is loopback: %s', (hostname, loopback) => {
    expect(isLoopback(hostname)).toBe(loopback);
  });

  test("by default a server on loopback answers for the loopback's names and its own; elsewhere for any", () => {
    expect(defaultAllowedHosts('127.0.0.1')).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(defaultAllowedHosts('localhost')).toEqual(LOOPBACK_HOSTS);
    expect(defaultAllowedHosts('::1')).toEqual(LOOPBACK_HOSTS);
    expect(defaultAllowedHosts('127.0.0.2')).toEqual(['localhost', '127.0.0.1', '[::1]', '127.0.0.2']);
    expect(defaultAllowedHosts('0.0.0.0')).toBe('any');
    expect(defaultAllowedHosts('::')).toBe('any');
    expect(defaultAllowedHosts('192.168.1.20')).toBe('any');
  });

  test.each([
    ['localhost:8890', true],
    ['LOCALHOST', true],
    ['127.0.0.1:1', true],
    ['[::1]:8890', true],
    ['127.1:8890', true],
    [`${EVIL}:8890`, false],
    ['localhost.attacker.example', false],
    ['127.0.0.1.attacker.example', false],
    ['localhost@attacker.example', false],
    ['', false],
    [null, false],
  ])('the loopback names allow Host %j: %s', (host, allowed) => {
    expect(hostAllowed(allowedHostSet(LOOPBACK_HOSTS)!, host)).toBe(allowed);
  });

  test('an allow-list of names takes them in any case, with or without a final dot, IPv6 with or without brackets', () => {
    expect([...allowedHostSet(['Metrics.Internal.', '::1', '[fe80::1]', '10.0.0.7'])!]).toEqual([
      'metrics.internal',
      '[::1]',
      '[fe80::1]',
      '10.0.0.7',
    ]);
    expect(allowedHostSet('any')).toBeUndefined();
  });

  test.each([
    [[], "allowedHosts is empty: no request would be answered; pass 'any' to answer every Host"],
    ['localhost', `allowedHosts must be a list of host names or 'any', got "localhost"`],
    [true, "allowedHosts must be a list of host names or 'any', got boolean"],
    [[''], 'allowedHosts holds "": each entry is a host name or an IP address'],
    [[42], 'allowedHosts holds number: each entry is a host name or an IP address'],
    [['*'], `allowedHosts holds "*": entries are exact names, not patterns; name each host, or pass 'any' to answer every Host`],
    [
      ['.example.com'],
      `allowedHosts holds ".example.com": entries are exact names, not patterns; name each host, or pass 'any' to answer every Host`,
    ],
    [['localhost:8890'], 'allowedHosts holds "localhost:8890": entries are names without a port (any port is allowed)'],
    [['[::1]:8890'], 'allowedHosts holds "[::1]:8890": entries are names without a port (any port is allowed)'],
    [['http://localhost'], 'allowedHosts holds "http://localhost", which is not a host name or an IP address'],
    [['local host'], 'allowedHosts holds "local host", which is not a host name or an IP address'],
  ])('refuses allowedHosts %j when the server is made', async (allowedHosts, message) => {
    const options = { allowedHosts: allowedHosts as unknown as readonly string[] };
    expect(() => createApp(meter(), options)).toThrow(new TypeError(message));
    await expect(serve(meter(), { port: 0, ...options })).rejects.toThrow(new TypeError(message));
  });
});

describe('serve() on loopback answers only for its own names (DNS rebinding)', () => {
  test('a request for another host gets 421 and a line that says so, whatever its path, method or credentials', async () => {
    await serving(serve(meter(), { port: 0, auth: { token: 's3cret' } }), async ({ port }) => {
      const refused = await raw(port, `${EVIL}:${port}`);
      expect([refused.status, refused.headers['content-type'], refused.headers['x-content-type-options'], refused.body]).toEqual([
        421,
        'text/plain; charset=utf-8',
        'nosniff',
        `Misdirected Request: this endpoint does not answer for host "${EVIL}:${port}" (allowedHosts)\n`,
      ]);
      const statuses = await Promise.all([
        raw(port, EVIL, 'GET', '/metrics', ['Authorization: Bearer s3cret']),
        raw(port, EVIL, 'GET', '/view'),
        raw(port, EVIL, 'GET', '/nowhere'),
        raw(port, EVIL, 'POST'),
        raw(port, EVIL, 'OPTIONS'),
      ]);
      expect(statuses.map(({ status }) => status)).toEqual([421, 421, 421, 421, 421]);
      const head = await raw(port, EVIL, 'HEAD');
      expect([head.status, head.body]).toEqual([421, '']);
    });
  });

  test('localhost, 127.0.0.1 and [::1] with any port are answered, as is a name in another case', async () => {
    await serving(serve(meter(), { port: 0 }), async ({ port }) => {
      const hosts = [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, '127.0.0.1', 'LOCALHOST:1'];
      expect(await Promise.all(hosts.map(async (host) => [host, (await raw(port, host)).status]))).toEqual(
        hosts.map((host) => [host, 200]),
      );
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    });
  });

  test('a request without Host (HTTP/1.0) is refused too', async () => {
    await serving(serve(meter(), { port: 0 }), async ({ port }) => {
      const answer = await new Promise<string>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        let received = '';
        socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
        socket.on('end', () => resolve(received));
        socket.write('GET / HTTP/1.0\r\n\r\n');
      });
      expect(answer).toMatch(/^HTTP\/1\.[01] 421 /);
      expect(answer).toContain('Misdirected Request: this endpoint does not answer for a request without Host (allowedHosts)\n');
    });
  });

  test('allowedHosts names the hosts (a proxy that passes its own name on); any other, loopback ones included, is refused', async () => {
    await serving(serve(meter(), { port: 0, allowedHosts: ['metrics.internal'] }), async ({ port }) => {
      expect([(await raw(port, 'metrics.internal:443')).status, (await raw(port, `127.0.0.1:${port}`)).status]).toEqual([200, 421]);
    });
  });

  test("allowedHosts: 'any' answers every Host", async () => {
    await serving(serve(meter(), { port: 0, allowedHosts: 'any' }), async ({ port }) => {
      expect((await raw(port, EVIL)).status).toBe(200);
    });
  });

  test('serveApp checks Host for the app it serves, before the app sees the request', async () => {
    let seen = 0;
    const app = new Hono().get('/', (c) => {
      seen++;
      return c.text('hello');
    });
    await serving(serveApp(app, { port: 0 }), async ({ port }) => {
      expect([(await raw(port, EVIL)).status, (await raw(port, `localhost:${port}`)).status, seen]).toEqual([421, 200, 1]);
    });
  });

  test('serve() listening on localhost answers for it', async () => {
    await serving(serve(meter(), { port: 0, hostname: 'localhost' }), async (server) => {
      const response = await fetch(server.url);
      expect(response.status).toBe(200);
    });
  });
});

describe('mounted in an app of your own, the app owns its Host policy', () => {
  const request = (host: string, path = '/metrics') => new Request(`http://${host}${path}`, { headers: { Host: host } });

  test('by default every Host is answered', async () => {
    expect((await fetchHandler(meter())(request(EVIL))).status).toBe(200);
    expect((await createApp(meter()).fetch(request(EVIL))).status).toBe(200);
  });

  test('with allowedHosts, every way of mounting it answers 421 to another host, before auth', async () => {
    const options = { allowedHosts: ['metrics.internal'], auth: { token: 's3cret' } } as const;
    const mounts = {
      fetchHandler: fetchHandler(meter(), options),
      metricsApp: metricsApp(meter(), options).fetch,
      createApp: createApp(meter(), options).fetch,
      metrics: new Hono().all('/metrics', metrics(meter(), options)).fetch,
    };
    for (const [name, fetch] of Object.entries(mounts)) {
      const refused = await fetch(request(EVIL));
      expect([name, refused.status, await refused.text()]).toEqual([
        name,
        421,
        `Misdirected Request: this endpoint does not answer for host "${EVIL}" (allowedHosts)\n`,
      ]);
      expect([name, (await fetch(request('metrics.internal'))).status]).toEqual([name, 401]);
      const authorized = new Request('http://metrics.internal/metrics', {
        headers: { Host: 'metrics.internal', Authorization: 'Bearer s3cret' },
      });
      expect([name, (await fetch(authorized)).status]).toEqual([name, 200]);
    }
  });
});
