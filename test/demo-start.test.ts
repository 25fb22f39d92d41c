import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildPackages } from './runtimes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// `npm start` runs examples/demo/start.js over the built packages: build them (the build writes nothing
// when they are up to date).
beforeAll(async () => {
  await buildPackages();
}, 120_000);

describe('npm start (examples/demo/start.js)', () => {
  test.concurrent.each(['SIGTERM', 'SIGINT'] as const)(
    'serves, then exits with 0 on %s even while a client is stuck in the middle of its headers',
    async (signal) => {
      const demo = spawn(process.execPath, ['examples/demo/start.js'], {
        cwd: root,
        env: { ...process.env, PORT: '0' },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const exited = new Promise<[number | null, string | null]>((resolve) =>
        demo.once('exit', (code, killedBy) => resolve([code, killedBy])),
      );
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

  // A process manager (pm2, a container's init, a supervisor) starts `npm start` and later sends
  // SIGTERM to the PID it started, npm's: the signal must reach the server, which must not outlive
  // npm. With a shell between them that runs node as its child (`npm run build && node …`), npm
  // forwarded the signal to the shell, the shell died of it, and node, re-parented to init, went on
  // serving. The start script execs node, so npm's child is the server itself.
  test("`npm start` sent SIGTERM as a process manager sends it (to npm's PID) leaves no process and frees the port", async () => {
    const npm = spawn('npm', ['start'], { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => npm.once('exit', () => resolve()));
    let descendants: number[] = [];
    try {
      let port = 0;
      for await (const line of createInterface({ input: npm.stdout! })) {
        port = Number(/^Runometer serves http:\/\/127\.0\.0\.1:(\d+)\//.exec(line)?.[1] ?? 0);
        if (port) break;
      }
      expect(port).toBeGreaterThan(0);
      expect(await listening(port)).toBe(true);
      descendants = descendantsOf(npm.pid!);
      expect(descendants.length).toBeGreaterThan(0);

      process.kill(npm.pid!, 'SIGTERM');
      await exited;
      // The README promises five seconds; the bound here is wider, for a loaded machine.
      const survivors = await until(
        () => descendants.filter(alive),
        (left) => left.length === 0,
        15_000,
      );
      expect(survivors.map(commandOf)).toEqual([]);
      expect(await listening(port)).toBe(false);
    } finally {
      // Whatever this test started and left running (npm, the shell, node) is stopped by its PID.
      for (const pid of [npm.pid!, ...descendants]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 120_000);
});

/** Every live process below `pid` (Linux: /proc), children first found, breadth first. */
function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  for (let i = -1; i < found.length; i++) {
    const parent = i < 0 ? pid : found[i]!;
    for (const [child, ppid] of parents) if (ppid === parent) found.push(child);
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    // A zombie (exited, not yet reaped) holds no port and runs nothing.
    return !/^\S+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

function commandOf(pid: number): string {
  try {
    return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`;
  } catch {
    return `${pid}: (gone)`;
  }
}

async function until<T>(read: () => T, done: (value: T) => boolean, bound: number): Promise<T> {
  const end = Date.now() + bound;
  let value = read();
  while (!done(value) && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = read();
  }
  return value;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
