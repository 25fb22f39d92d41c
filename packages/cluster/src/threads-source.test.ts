import { Worker } from 'node:worker_threads';
import { Runometer, toLineProtocol, toOpenMetrics, type Snapshot } from '@runometer/core';
import { parseLines } from '@runometer/core/format';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { threadsSource } from './threads-source.js';
import { buildPackages } from '../../../test/runtimes.js';

// Real worker threads, running test/thread-worker.js over the built packages.
beforeAll(async () => {
  await buildPackages();
}, 120_000);

/** Each started thread: its exit code, and how many 'message' listeners it had when it said it was ready. */
const started = new Map<Worker, { exited: Promise<number>; listenersAtReady: number }>();
afterEach(async () => {
  await Promise.all([...started.keys()].map((worker) => worker.terminate()));
  started.clear();
});

type Mode = 'report' | 'exit' | 'silent' | 'report-only';

/** A thread, once it has started; no vitest flags, so that it resolves @runometer/* to dist/. */
async function start(mode: Mode): Promise<Worker> {
  const worker = new Worker(new URL('../test/thread-worker.js', import.meta.url), { workerData: mode, execArgv: [] });
  // A thread that ends while this thread is busy has its 'ready' and its 'exit' emitted in one
  // turn, after which Node has removed its listeners: both are read in that turn, not after it.
  const thread = { exited: new Promise<number>((resolve) => worker.once('exit', resolve)), listenersAtReady: 0 };
  started.set(worker, thread);
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message) => {
      if (message?.test !== 'ready') return;
      thread.listenersAtReady = worker.listenerCount('message');
      resolve();
    });
    worker.once('error', reject);
  });
  return worker;
}

const own = () => new Runometer('app').addTag('app', 'test').addField('up', () => true, { type: 'boolean' });
const lines = (snapshots: readonly Snapshot[]) => parseLines(toLineProtocol(snapshots));
const countsOf = (snapshots: readonly Snapshot[]) => {
  const main = lines(snapshots).find((line) => line.tags['thread'] === 'main')!;
  const count = (key: string) => Number(main.fields[`worker_threads_${key}`]?.value);
  return { asked: count('asked'), answered: count('answered'), timedOut: count('timed_out'), exited: count('exited') };
};
const threadIds = (snapshots: readonly Snapshot[]) => lines(snapshots).map((line) => line.tags['thread']);

describe('threadsSource and reportToParent', () => {
  test("every thread's lines tagged with its thread id, after the parent's own with the counts; threads started before the source are found", async () => {
    const [one, two] = await Promise.all([start('report'), start('report')]);
    // Its first scrape waits until both have said hello again, asked over the BroadcastChannel.
    const source = threadsSource(own(), { timeout: 10_000 });
    try {
      const snapshots = await source.collect();
      const [main, ...rest] = lines(snapshots);
      expect(main).toEqual({
        measurement: 'app',
        tags: { app: 'test', thread: 'main' },
        fields: {
          up: { type: 'boolean', value: true },
          worker_threads_asked: { type: 'integer', value: 2n },
          worker_threads_answered: { type: 'integer', value: 2n },
          worker_threads_timed_out: { type: 'integer', value: 0n },
          worker_threads_exited: { type: 'integer', value: 0n },
        },
      });
      expect(rest).toEqual(
        [one!, two!].map((worker) => ({
          measurement: 'app',
          tags: { app: 'test', thread: String(worker.threadId) },
          fields: {
            ratio: { type: 'float', value: -0 },
            big: { type: 'integer', value: 2n ** 60n + 1n },
            label: { type: 'string', value: 'say "hi"' },
            up: { type: 'boolean', value: true },
          },
          timestamp: expect.any(BigInt),
        })),
      );
      expect(toOpenMetrics(snapshots)).toContain(`app_big{app="test",thread="${one!.threadId}"} 1152921504606846977\n`);
    } finally {
      source.close();
    }
  }, 30_000);

  test('a thread started before the package was imported is found once handed over in `workers`, by that source and every later one', async () => {
    const worker = await start('report');
    vi.resetModules();
    const { threadsSource } = await import('./threads-source.js');
    const scraped = async (source: ReturnType<typeof threadsSource>) => {
      try {
        return await source.collect();
      } finally {
        source.close();
      }
    };
    // The thread says hello again when that source asks who reports: no source of this import hears it.
    const saidHello = new Promise((resolve) => worker.on('message', (message) => message?.type === 'hello' && resolve(undefined)));
    expect(threadIds(await scraped(threadsSource(own(), { timeout: 1000 })))).toEqual(['main']);
    await saidHello;
    for (const workers of [[worker], undefined]) {
      const snapshots = await scraped(threadsSource(own(), { timeout: 10_000, workers }));
      expect(countsOf(snapshots)).toEqual({ asked: 1, answered: 1, timedOut: 0, exited: 0 });
      expect(threadIds(snapshots)).toEqual(['main', String(worker.threadId)]);
    }
  }, 30_000);

  test("the tags option is normalised as a meter's tags are: a line break in a value becomes a space", async () => {
    const source = threadsSource(own(), { timeout: 1000, tags: { region: 'eu\nwest' } });
    try {
      expect(lines(await source.collect())[0]!.tags).toEqual({ app: 'test', region: 'eu west', thread: 'main' });
    } finally {
      source.close();
    }
  });

  test('a thread started after the source is asked from its hello on', async () => {
    const source = threadsSource(own());
    try {
      expect(countsOf(await source.collect()).asked).toBe(0);
      const worker = await start('report');
      const snapshots = await source.collect();
      expect(countsOf(snapshots)).toEqual({ asked: 1, answered: 1, timedOut: 0, exited: 0 });
      expect(threadIds(snapshots)).toEqual(['main', String(worker.threadId)]);
    } finally {
      source.close();
    }
  }, 30_000);

  test('a thread that hangs is left out after the timeout; one that exits mid-scrape is counted as exited and dropped', async () => {
    // Started after the source, so that each is known from its first hello (one that blocks before
    // a later hello would never be found).
    const source = threadsSource(own(), { timeout: 1000 });
    const [hanging, exiting, healthy] = await Promise.all([start('report'), start('exit'), start('report')]);
    try {
      const blocked = new Promise((resolve) => hanging!.on('message', (message) => message?.test === 'hanging' && resolve(undefined)));
      hanging!.postMessage({ test: 'hang' });
      await blocked;
      const snapshots = await source.collect();
      expect(countsOf(snapshots)).toEqual({ asked: 3, answered: 1, timedOut: 1, exited: 1 });
      expect(threadIds(snapshots)).toEqual(['main', String(healthy!.threadId)]);
      await hanging!.terminate();
      expect(countsOf(await source.collect())).toEqual({ asked: 1, answered: 1, timedOut: 0, exited: 0 });
      void exiting;
    } finally {
      source.close();
    }
  }, 30_000);

  test("threads without a reporter, other libraries' messages and another version's are ignored", async () => {
    const source = threadsSource(own(), { timeout: 1000 });
    const [, healthy] = await Promise.all([start('silent'), start('report')]);
    try {
      const snapshots = await source.collect();
      expect(countsOf(snapshots)).toEqual({ asked: 1, answered: 1, timedOut: 0, exited: 0 });
      expect(threadIds(snapshots)).toEqual(['main', String(healthy!.threadId)]);
    } finally {
      source.close();
    }
  }, 30_000);

  test('a thread that only reports still exits by itself while the source listens; close() takes back every listener', async () => {
    const source = threadsSource(own());
    try {
      const worker = await start('report-only');
      expect(await started.get(worker)!.exited).toBe(0);
      expect(countsOf(await source.collect()).asked).toBe(0);

      const other = await start('report');
      const before = other.listenerCount('message');
      // The source listened on both: one listener of each is its own.
      expect(started.get(worker)!.listenersAtReady).toBe(before);
      source.close();
      expect(other.listenerCount('message')).toBe(before - 1);
      await expect(source.collect()).rejects.toThrow('is closed');
    } finally {
      source.close();
    }
  }, 30_000);
});
