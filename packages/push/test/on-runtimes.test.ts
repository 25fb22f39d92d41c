import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { launch, RUNTIMES } from '../../../tools/runtimes.js';
import { startTarget } from './target.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));

// Node 20 runs the child over the built packages: build them (tsc -b does nothing when they are up to date).
beforeAll(async () => {
  await promisify(execFile)(`${root}node_modules/.bin/tsc`, ['-b', 'packages/push'], { cwd: root });
}, 120_000);

describe('a pusher on each runtime pushes through fetch, gzips a large body, and flushes on a signal that still ends the process', () => {
  const cases = RUNTIMES.flatMap((runtime) => (['SIGTERM', 'SIGINT'] as const).map((signal) => [runtime, signal] as const));
  test.each(cases)('%s, %s', async (runtime, signal) => {
    const target = await startTarget();
    try {
      const [command, ...args] = launch(runtime, 'packages/push/test/push-child.js', { packages: runtime === 'node' ? 'dist' : 'sources' });
      const child = spawn(command, [...args, `${target.origin}/write`], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<[number | null, string | null]>((resolve) => child.once('exit', (code, killedBy) => resolve([code, killedBy])));
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      expect((await lines.next()).value).toBe('pushed');
      child.kill(signal);
      expect(await exited).toEqual([null, signal]);
      expect(target.received.map(({ url, gzipped, body }) => ({ url, gzipped, body: body.replace(/ \d{19}\n$/, ' TIMESTAMP\n') }))).toEqual([
        { url: '/write', gzipped: false, body: `child,runtime=${runtime} text="small" TIMESTAMP\n` },
        { url: '/write', gzipped: true, body: `child,runtime=${runtime} text="${'x'.repeat(2000)}" TIMESTAMP\n` },
      ]);
    } finally {
      await target.close();
    }
  }, 60_000);
});
