import { Runometer, type SnapshotSource } from '@runometer/core';
import { connect } from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { serve, serveApp } from './serve.js';

const meter = () => new Runometer('app').addField('up', () => 1, { type: 'integer' });

describe('serve', () => {
  test.each([
    [null, 'expected a snapshot source to serve (an object with collect(), such as a Runometer), got null'],
    [undefined, 'expected a snapshot source to serve (an object with collect(), such as a Runometer), got undefined'],
    [{}, 'expected a snapshot source to serve (an object with collect(), such as a Runometer), got an object (Object)'],
  ])('refuses %j before it listens', async (notASource, message) => {
    await expect(serve(notASource as unknown as SnapshotSource, { port: 0 })).rejects.toThrow(new TypeError(message));
  });

  test('refuses a closed meter before it listens', async () => {
    const closed = meter();
    await closed.close();
    await expect(serve(closed, { port: 0 })).rejects.toThrow(
      new TypeError('source "app" is closed: a closed source renders no more, serve an open one'),
    );
  });

  test.each([-1, Number.NaN, Number.POSITIVE_INFINITY, '5000'])('refuses closeGracePeriod %j', async (closeGracePeriod) => {
    await expect(serve(meter(), { port: 0, closeGracePeriod: closeGracePeriod as number })).rejects.toThrow(
      new RangeError(`closeGracePeriod must be a finite number of milliseconds ≥ 0, got ${closeGracePeriod}`),
    );
  });

  test('unref: neither the server nor a connection it accepted keeps the process alive; without it, both do', async () => {
    const holding = (kind: string) => process.getActiveResourcesInfo().filter((resource) => resource === kind).length;
    const held = async (unref: boolean) => {
      const [servers, sockets] = [holding('TCPServerWrap'), holding('TCPSocketWrap')];
      const server = await serve(meter(), { port: 0, unref });
      const client = connect(server.port, '127.0.0.1');
      client.unref();
      await new Promise((resolve) => client.once('connect', resolve));
      client.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await new Promise((resolve) => client.once('data', resolve));
      const counts = [holding('TCPServerWrap') - servers, holding('TCPSocketWrap') - sockets];
      client.destroy();
      await server.close();
      return counts;
    };
    expect(await held(true)).toEqual([0, 0]);
    expect(await held(false)).toEqual([1, 1]);
  });

  test('refuses an unref that is not a boolean', async () => {
    await expect(serve(meter(), { port: 0, unref: 'yes' as unknown as boolean })).rejects.toThrow(
      new TypeError('unref must be a boolean, got string'),
    );
  });

  test('close() lets a request in flight end, then resolves; a second close() returns the same promise', async () => {
    let release!: () => void;
    let rendering!: () => void;
    const started = new Promise<void>((resolve) => (rendering = resolve));
    const slow = new Runometer('slow', { renderTimeout: 60_000 })
      .addContextBuilder(() => {
        rendering();
        return new Promise<{ n: number }>((resolve) => (release = () => resolve({ n: 7 })));
      })
      .addField('n', (ctx) => ctx.n, { type: 'integer' });
    const server = await serve(slow, { port: 0, closeGracePeriod: 60_000 });
    const scrape = fetch(`http://127.0.0.1:${server.port}/`).then(async (response) => [response.status, await response.text()]);
    await started;
    const closing = server.close();
    expect(server.close()).toBe(closing);
    // A new connection is refused while the one in flight is still served.
    await expect(fetch(`http://127.0.0.1:${server.port}/`)).rejects.toThrow();
    release();
    expect(await scrape).toEqual([200, 'slow n=7i\n']);
    await closing;
    await slow.close();
  });

  test('close() drops, after the grace period, a client stuck in the middle of its headers', async () => {
    const served = meter();
    const server = await serve(served, { port: 0, closeGracePeriod: 0 });
    const socket = connect(server.port, '127.0.0.1');
    const dropped = new Promise<string>((resolve) => {
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString();
        // Once the first answer is in, the server has read the half request behind it too.
        if (received.endsWith('up=1i\n')) resolve('answered');
      });
      socket.on('close', () => resolve('closed'));
    });
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET / HTTP/1.1\r\nHost: 127.');
    expect(await dropped).toBe('answered');
    const closed = new Promise((resolve) => socket.once('close', resolve));
    await server.close();
    await closed;
    await served.close();
  });
});

describe('the listener is chosen by what the runtime offers', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const app = { fetch: () => new Response('hello') };

  test('Bun.serve where there is one, handed the app behind the Host check (none with allowedHosts: any)', async () => {
    const calls: unknown[] = [];
    const statusFor = (fetch: (request: Request) => Response, host: string) =>
      fetch(new Request('http://h/', { headers: { Host: host } })).status;
    vi.stubGlobal('Bun', {
      serve: (options: { fetch: (request: Request) => Response; port: number; hostname: string }) => {
        calls.push([
          'serve',
          options.port,
          options.hostname,
          statusFor(options.fetch, 'localhost:4321'),
          statusFor(options.fetch, 'evil.example'),
        ]);
        return { port: 4321, stop: async (force?: boolean) => void calls.push(['stop', force]), unref: () => void calls.push(['unref']) };
      },
    });
    const server = await serveApp(app, { port: 0, path: '/metrics' });
    expect([server.port, server.url]).toEqual([4321, 'http://127.0.0.1:4321/metrics']);
    await server.close();
    await (await serveApp(app, { port: 0, allowedHosts: 'any', unref: true })).close();
    expect(calls).toEqual([
      ['serve', 0, '127.0.0.1', 200, 421],
      ['stop', undefined],
      ['serve', 0, '127.0.0.1', 200, 200],
      ['unref'],
      ['stop', undefined],
    ]);
  });

  test('else Deno.serve where there is one', async () => {
    const calls: unknown[] = [];
    vi.stubGlobal('Deno', {
      serve: (options: { port: number; hostname: string }, handler: (request: Request) => Response) => {
        calls.push(['serve', options.port, options.hostname]);
        return {
          addr: { port: 4322 },
          shutdown: async () => void calls.push(['shutdown', handler(new Request('http://h/')) instanceof Response]),
          unref: () => void calls.push(['unref']),
        };
      },
    });
    const server = await serveApp(app, { port: 0, unref: true });
    expect(server.port).toBe(4322);
    await server.close();
    expect(calls).toEqual([['serve', 0, '127.0.0.1'], ['unref'], ['shutdown', true]]);
  });

  test('else node:http, whatever a global named Bun or Deno without serve says', async () => {
    vi.stubGlobal('Bun', {});
    vi.stubGlobal('Deno', { version: { deno: '2' } });
    const server = await serveApp(app, { port: 0 });
    expect(await (await fetch(`http://127.0.0.1:${server.port}/`)).text()).toBe('hello');
    await server.close();
  });
});
