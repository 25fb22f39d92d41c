import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { EVERY_RUNTIME, isNode, launch, nameOf, type Runtime } from '../../../tools/runtimes.js';
import { startTarget } from './target.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

// The Nodes run the child over the built packages: build them (tsc -b does nothing when they are up to date).
beforeAll(async () => {
  await promisify(execFile)(`${root}node_modules/.bin/tsc`, ['-b', 'packages/push'], { cwd: root });
}, 120_000);

/** Runs push-child.js on `runtime` against a fresh target, sends `signal` once it has pushed, and resolves to how it exited and what the target received. */
async function pushThenSignal(runtime: Runtime, signal: 'SIGTERM' | 'SIGINT', ...childArgs: string[]) {
  const target = await startTarget();
  try {
    const [command, ...args] = launch(runtime, 'packages/push/test/push-child.js', { packages: isNode(runtime) ? 'dist' : 'sources' });
    const child = spawn(command, [...args, `${target.origin}/write`, ...childArgs], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<[number | null, string | null]>((resolve) =>
      child.once('exit', (code, killedBy) => resolve([code, killedBy])),
    );
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('pushed');
    child.kill(signal);
    const exit = await exited;
    const received = target.received.map(({ url, gzipped, body }) => ({ url, gzipped, body: body.replace(/ \d{19}\n$/, ' TIMESTAMP\n') }));
    return { exit, received };
  } finally {
    await target.close();
  }
}

const pushed = (runtime: Runtime) => [
  { url: '/write', gzipped: false, body: `child,runtime=${runtime} text="small" TIMESTAMP\n` },
  { url: '/write', gzipped: true, body: `child,runtime=${runtime} text="${'x'.repeat(2000)}" TIMESTAMP\n` },
];

describe('a pusher on each runtime pushes through fetch, gzips a large body, and flushes on a signal', () => {
  const cases = EVERY_RUNTIME.flatMap((runtime) => (['SIGTERM', 'SIGINT'] as const).map((signal) => [runtime, signal] as const));
  test.each(cases)(
    '%s, %s: then the signal still ends the process',
    async (runtime, signal) => {
      expect(await pushThenSignal(runtime, signal)).toEqual({ exit: [null, signal], received: pushed(nameOf(runtime)) });
    },
    60_000,
  );

  test.each(EVERY_RUNTIME)(
    "%s, SIGTERM with the application's own listener: it decides how the process ends",
    async (runtime) => {
      expect(await pushThenSignal(runtime, 'SIGTERM', 'own-handler')).toEqual({ exit: [3, null], received: pushed(nameOf(runtime)) });
    },
    60_000,
  );
});
