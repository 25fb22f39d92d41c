import { execFile, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

// `npm start` runs demo/start.js over the built packages: build them (the build writes nothing
// when they are up to date).
beforeAll(async () => {
  await promisify(execFile)(process.execPath, [`${root}tools/build.js`], { cwd: root });
}, 120_000);

describe('npm start (demo/start.js)', () => {
  test.concurrent.each(['SIGTERM', 'SIGINT'] as const)(
    'serves, then exits with 0 on %s even while a client is stuck in the middle of its headers',
    async (signal) => {
      const demo = spawn(process.execPath, ['demo/start.js'], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<[number | null, string | null]>((resolve) => demo.once('exit', (code, killedBy) => resolve([code, killedBy])));
      const lines = createInterface({ input: demo.stdout! })[Symbol.asyncIterator]();
      const banner = String((await lines.next()).value);
      const port = Number(/^Runometer serves http:\/\/127\.0\.0\.1:(\d+)\/ and http:\/\/127\.0\.0\.1:\d+\/metrics /.exec(banner)?.[1]);
      expect(port).toBeGreaterThan(0);
      const view = /a browser gets the live view \((http:\/\/127\.0\.0\.1:\d+\/view)\)/.exec(banner)?.[1];
      expect(view).toBe(`http://127.0.0.1:${port}/view`);
      const page = await fetch(view!);
      expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      await page.arrayBuffer();

      // One request answered, and half of the next one sent: the server holds it open.
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      const firstAnswer = new Promise<string>((resolve) => {
        let received = '';
        socket.on('data', (chunk) => {
          received += chunk.toString();
          if (/\r\n\r\n[^]*\n$/.test(received)) resolve(received.split('\r\n')[0]!);
        });
      });
      socket.write(`GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /metrics HTTP/1.1\r\nHost: 127.`);
      expect(await firstAnswer).toBe('HTTP/1.1 200 OK');

      demo.kill(signal);
      expect(String((await lines.next()).value)).toBe(`${signal}: stopping`);
      expect(await exited).toEqual([0, null]);
      socket.destroy();
    },
    60_000,
  );
});
