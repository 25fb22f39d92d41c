import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { Runometer, toJson, toLineProtocol, toOpenMetrics, toPrometheus, type Snapshot } from '@runometer/core';
import { parseLines } from '@runometer/core/format';
import { serve } from '@runometer/server-hono';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { clusterSource } from './cluster-source.js';
import { buildPackages } from '../../../test/runtimes.js';

// Real forked workers. They run test/cluster-worker.js over the built packages (Node 20 runs no
// TypeScript), while this primary runs the sources: two copies of the package, on purpose.
beforeAll(async () => {
  await buildPackages();
  // The workers resolve @runometer/* to dist/: none of vitest's flags or conditions.
  cluster.setupPrimary({ exec: fileURLToPath(new URL('../test/cluster-worker.js', import.meta.url)), execArgv: [] });
}, 120_000);

const forked = new Set<Worker>();
afterEach(() => {
  for (const worker of forked) worker.process.kill('SIGKILL');
  forked.clear();
});

type Mode = 'report' | 'die' | 'silent' | 'garbage' | 'threads' | 'pm2';

/** A worker, once it has started (and, if it reports, said hello). */
async function fork(mode: Mode): Promise<Worker> {
  const worker = cluster.fork({ RUNOMETER_TEST_WORKER: mode, NODE_OPTIONS: '' });
  forked.add(worker);
  await nextMessage(worker, 'ready');
  return worker;
}

function nextMessage(worker: Worker, test: string): Promise<any> {
  return new Promise((resolve) => {
    const listener = (message: any) => {
      if (message?.test !== test) return;
      worker.off('message', listener);
      resolve(message);
    };
    worker.on('message', listener);
  });
}

const own = () =>
  new Runometer('app')
    .addTag('app', 'test')
    .addField('renders_total', () => 1, { type: 'integer', kind: 'counter', help: 'Renders of this meter.' });

const lines = (snapshots: readonly Snapshot[]) => parseLines(toLineProtocol(snapshots));
const countsOf = (snapshots: readonly Snapshot[]) => {
  const primary = lines(snapshots).find((line) => line.tags['worker'] === 'primary' && line.tags['queue'] === undefined)!;
  const count = (key: string) => Number(primary.fields[`cluster_workers_${key}`]?.value);
  return { asked: count('asked'), answered: count('answered'), timedOut: count('timed_out'), died: count('died') };
};
const workerIds = (snapshots: readonly Snapshot[]) => [...new Set(lines(snapshots).map((line) => line.tags['worker']))];

describe('clusterSource and reportToPrimary', () => {
  test("every worker's lines, tagged with its id and pid, after the primary's own with the counts", async () => {
    const [one, two] = await Promise.all([fork('report'), fork('report')]);
    // Workers started before the source: its first scrape waits until both have said hello.
    const source = clusterSource(own(), { timeout: 10_000 });
    try {
      const snapshots = await source.collect();
      const [primaryLine, ...rest] = lines(snapshots);
      expect(primaryLine).toEqual({
        measurement: 'app',
        tags: { app: 'test', pid: String(process.pid), worker: 'primary' },
        fields: {
          renders_total: { type: 'integer', value: 1n },
          cluster_workers_asked: { type: 'integer', value: 2n },
          cluster_workers_answered: { type: 'integer', value: 2n },
          cluster_workers_timed_out: { type: 'integer', value: 0n },
          cluster_workers_died: { type: 'integer', value: 0n },
        },
      });
      const timestamp = rest[0]!.timestamp;
      expect(typeof timestamp).toBe('bigint');
      const linesOf = (worker: Worker) => {
        const tags = { app: 'test', pid: String(worker.process.pid), worker: String(worker.id) };
        return [
          {
            measurement: 'app',
            tags,
            fields: {
              renders_total: { type: 'integer', value: 1n },
              ratio: { type: 'float', value: -0 },
              big: { type: 'integer', value: 2n ** 60n + 1n },
              label: { type: 'string', value: 'say "hi", \\ there' },
              up: { type: 'boolean', value: true },
            },
            timestamp: expect.any(BigInt),
          },
          {
            measurement: 'app',
            tags: { ...tags, queue: 'mail' },
            fields: { depth: { type: 'integer', value: 3n } },
            timestamp: expect.any(BigInt),
          },
        ];
      };
      expect(rest).toEqual([...linesOf(one!), ...linesOf(two!)]);
      expect(Object.is(rest[0]!.fields['ratio']!.value, -0)).toBe(true);
    } finally {
      source.close();
    }
  }, 30_000);

  test('every format renders the aggregate: one family per field, a sample per worker, spec kinds and help kept', async () => {
    const [one, two] = await Promise.all([fork('report'), fork('report')]);
    const source = clusterSource(own(), { timeout: 10_000 });
    try {
      const snapshots = await source.collect();
      const prometheus = toPrometheus(snapshots);
      const family = prometheus
        .split('\n')
        .filter(
          (line) =>
            line.startsWith('app_renders_total') ||
            line.startsWith('# HELP app_renders_total') ||
            line.startsWith('# TYPE app_renders_total'),
        );
      expect(family).toEqual([
        '# HELP app_renders_total Renders of this meter.',
        '# TYPE app_renders_total counter',
        `app_renders_total{app="test",pid="${process.pid}",worker="primary"} 1`,
        `app_renders_total{app="test",pid="${one!.process.pid}",worker="${one!.id}"} 1`,
        `app_renders_total{app="test",pid="${two!.process.pid}",worker="${two!.id}"} 1`,
      ]);
      expect(prometheus).toContain(`app_big{app="test",pid="${one!.process.pid}",worker="${one!.id}"} 1152921504606846977`);
      expect(toOpenMetrics(snapshots)).toContain(`app_cluster_workers_answered{app="test",pid="${process.pid}",worker="primary"} 2\n`);
      const json = JSON.parse(toJson(snapshots)) as { points: { tags: Record<string, string>; fields: Record<string, unknown> }[] }[];
      expect(json[1]!.points[0]!.fields['big']).toBe('1152921504606846977');
      expect(json[1]!.points[0]!.tags['worker']).toBe(String(one!.id));
    } finally {
      source.close();
    }
  }, 30_000);

  test('a worker that hangs is left out after the timeout and counted; the others are in', async () => {
    // Forked after the source, so that each is known from its first hello.
    const source = clusterSource(own(), { timeout: 1000 });
    const [hanging, healthy] = await Promise.all([fork('report'), fork('report')]);
    try {
      hanging!.send({ test: 'hang' });
      const snapshots = await source.collect();
      expect(countsOf(snapshots)).toEqual({ asked: 2, answered: 1, timedOut: 1, died: 0 });
      expect(workerIds(snapshots)).toEqual(['primary', String(healthy!.id)]);
    } finally {
      source.close();
    }
  }, 30_000);

  test('a worker that dies in the middle of the scrape is counted as died, and asked no more', async () => {
    const [dying, healthy] = await Promise.all([fork('die'), fork('report')]);
    const exited = new Promise((resolve) => dying!.once('exit', resolve));
    const source = clusterSource(own(), { timeout: 10_000 });
    try {
      const snapshots = await source.collect();
      expect(countsOf(snapshots)).toEqual({ asked: 2, answered: 1, timedOut: 0, died: 1 });
      expect(workerIds(snapshots)).toEqual(['primary', String(healthy!.id)]);
      await exited;
      expect(countsOf(await source.collect())).toEqual({ asked: 1, answered: 1, timedOut: 0, died: 0 });
    } finally {
      source.close();
    }
  }, 30_000);

  test("a restarted worker is a new series (new id, new pid); the dead one's lines are gone, not summed", async () => {
    const source = clusterSource(own());
    const first = await fork('report');
    try {
      await source.collect();
      const before = lines(await source.collect()).find(
        (line) => line.tags['worker'] === String(first.id) && line.fields['renders_total'],
      )!;
      expect(before.fields['renders_total']!.value).toBe(2n);
      const exited = new Promise((resolve) => first.once('exit', resolve));
      first.process.kill('SIGKILL');
      await exited;
      const second = await fork('report');
      const after = lines(await source.collect()).filter((line) => line.fields['renders_total']);
      expect(after.map((line) => [line.tags['worker'], line.tags['pid'], line.fields['renders_total']!.value])).toEqual([
        ['primary', String(process.pid), 1n],
        [String(second.id), String(second.process.pid), 1n],
      ]);
      expect(second.id).not.toBe(first.id);
      expect(second.process.pid).not.toBe(first.process.pid);
    } finally {
      source.close();
    }
  }, 30_000);

  test("workers with no meter, other libraries' messages, another version's and malformed answers: ignored, nothing crashes", async () => {
    const source = clusterSource(own(), { timeout: 1000 });
    const [silent, garbage, healthy] = await Promise.all([fork('silent'), fork('garbage'), fork('report')]);
    try {
      const snapshots = await source.collect();
      // The silent worker never said hello: not asked. The garbage one did, and its answers are not read.
      expect(countsOf(snapshots)).toEqual({ asked: 2, answered: 1, timedOut: 1, died: 0 });
      expect(workerIds(snapshots)).toEqual(['primary', String(healthy.id)]);
      expect([silent.isDead(), garbage.isDead(), healthy.isDead()]).toEqual([false, false, false]);
    } finally {
      source.close();
    }
  }, 30_000);

  test('a reporter started before the primary’s source is found; concurrent collects share one gather', async () => {
    const worker = await fork('report');
    const source = clusterSource(own(), { timeout: 10_000 });
    try {
      // The source asked who is there when it was made; its first scrape waits for the hello.
      const snapshots = await source.collect();
      expect(countsOf(snapshots)).toEqual({ asked: 1, answered: 1, timedOut: 0, died: 0 });
      const rendersBefore = Number(
        lines(snapshots).find((line) => line.tags['worker'] === String(worker.id) && line.fields['renders_total'])!.fields['renders_total']!
          .value,
      );
      const burst = await Promise.all(Array.from({ length: 100 }, () => source.collect()));
      expect(new Set(burst).size).toBe(1);
      const rendersAfter = lines(burst[0]!).find((line) => line.tags['worker'] === String(worker.id) && line.fields['renders_total'])!
        .fields['renders_total']!.value;
      expect(rendersAfter).toBe(BigInt(rendersBefore + 1));
    } finally {
      source.close();
    }
  }, 30_000);

  test('a burst of 100 concurrent scrapes at a primary served by server-hono: every one answered with every worker', async () => {
    const source = clusterSource(own());
    const workers = await Promise.all([fork('report'), fork('report')]);
    const server = await serve(source, { port: 0 });
    try {
      const bodies = await Promise.all(
        Array.from({ length: 100 }, () => fetch(`http://127.0.0.1:${server.port}/`).then((response) => response.text())),
      );
      for (const body of bodies) {
        expect([...new Set(parseLines(body).map((line) => line.tags['worker']))]).toEqual([
          'primary',
          ...workers.map((worker) => String(worker.id)),
        ]);
      }
    } finally {
      await server.close();
      source.close();
    }
  }, 30_000);

  test('close() removes every listener on both sides, ends a gather in flight at once, and refuses further scrapes', async () => {
    const listeners = () => ['message', 'exit', 'disconnect'].map((event) => cluster.listenerCount(event));
    const before = listeners();
    const worker = await fork('report');
    const source = clusterSource(own(), { timeout: 60_000 });
    expect(listeners()).toEqual(before.map((n) => n + 1));
    expect(countsOf(await source.collect()).answered).toBe(1);
    worker.send({ test: 'hang' });
    const inFlight = source.collect();
    source.close();
    expect(countsOf(await inFlight)).toEqual({ asked: 1, answered: 0, timedOut: 1, died: 0 });
    expect(listeners()).toEqual(before);
    expect(source.closed).toBe(true);
    await expect(source.collect()).rejects.toThrow('is closed');

    const other = await fork('report');
    other.send({ test: 'close' });
    const { before: inWorker, after } = await nextMessage(other, 'closed');
    expect(after).toBe(inWorker - 1);
  }, 30_000);

  test('a worker whose reporter is open still exits when the primary disconnects it: the reporter keeps nothing alive', async () => {
    const worker = await fork('report');
    const exited = new Promise<[number | null, string | null]>((resolve) => worker.once('exit', (code, signal) => resolve([code, signal])));
    worker.disconnect();
    expect(await exited).toEqual([0, null]);
  }, 30_000);

  test('they compose: a worker that reports its threads gives the primary worker=…,thread=… lines, and its threads counts', async () => {
    const worker = cluster.fork({ RUNOMETER_TEST_WORKER: 'threads', NODE_OPTIONS: '' });
    forked.add(worker);
    // Both listened for at once: the two messages may arrive in one read and be emitted in one tick.
    const [{ threadId }] = await Promise.all([nextMessage(worker, 'thread'), nextMessage(worker, 'ready')]);
    const source = clusterSource(own(), { timeout: 10_000 });
    try {
      const fromWorker = lines(await source.collect()).filter(
        (line) => line.tags['worker'] === String(worker.id) && line.tags['queue'] === undefined,
      );
      expect(fromWorker.map((line) => [line.tags['thread'], line.tags['pid'], line.fields['worker_threads_answered']?.value])).toEqual([
        ['main', String(worker.process.pid), 1n],
        [String(threadId), String(worker.process.pid), undefined],
      ]);
    } finally {
      source.close();
    }
  }, 30_000);

  test("PM2's cluster mode: instances of a primary that runs none of this package each serve their lines, tagged with NODE_APP_INSTANCE, threads included", async () => {
    // PM2's daemon is the primary: it forks each instance with NODE_APP_INSTANCE, and a restarted
    // instance with the number it had.
    const basePort = 20_000 + Math.floor(Math.random() * 40_000);
    const instance = async (number: number) => {
      const worker = cluster.fork({
        RUNOMETER_TEST_WORKER: 'pm2',
        NODE_APP_INSTANCE: String(number),
        BASE_PORT: String(basePort),
        NODE_OPTIONS: '',
      });
      forked.add(worker);
      const { port } = await nextMessage(worker, 'serving');
      expect(port).toBe(basePort + number);
      return { worker, port: port as number };
    };
    const scrape = async (port: number) => {
      for (let tries = 0; ; tries++) {
        const found = parseLines(await (await fetch(`http://127.0.0.1:${port}/`)).text());
        // The instance's thread is found once its reporter has said hello: within a few scrapes.
        if (found.length === 2 || tries === 50) return found.map((line) => [line.tags['worker'], line.tags['thread']]);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const [zero, one] = await Promise.all([instance(0), instance(1)]);
    expect(await scrape(zero.port)).toEqual([
      ['0', 'main'],
      ['0', expect.stringMatching(/^\d+$/)],
    ]);
    expect(await scrape(one.port)).toEqual([
      ['1', 'main'],
      ['1', expect.stringMatching(/^\d+$/)],
    ]);
    const exited = new Promise((resolve) => one.worker.once('exit', resolve));
    one.worker.process.kill('SIGKILL');
    await exited;
    const restarted = await instance(1);
    expect(await scrape(restarted.port)).toEqual([
      ['1', 'main'],
      ['1', expect.stringMatching(/^\d+$/)],
    ]);
  }, 30_000);

  test('refuses to run where it does not belong, with a clear message', () => {
    expect(() => clusterSource({} as never)).toThrow('own must be a SnapshotSource');
    expect(() => clusterSource(own(), { timeout: 0 })).toThrow('timeout must be a positive number of milliseconds, got 0');
    expect(() => clusterSource(own(), { tags: { worker: '' } })).toThrow('tags must map names to non-empty strings; tag "worker" is ""');
  });
});
