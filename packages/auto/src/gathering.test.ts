import cluster from 'node:cluster';
import { EventEmitter } from 'node:events';
import { toLineProtocol, Runometer } from '@runometer/core';
import { afterEach, expect, test, vi } from 'vitest';
import { gathering, type Gathering } from './gathering.js';

const made: Gathering[] = [];
afterEach(() => {
  for (const one of made.splice(0)) one.close();
});

const meter = () => new Runometer('app').addTag('app', 'checkout').addField('up', () => 1, { type: 'integer' });

/** A gathering, and the lines it reported. */
function gather(forks: boolean): { one: Gathering; reported: string[] } {
  const reported: string[] = [];
  const one = gathering(meter(), { forks, report: (line) => reported.push(line) });
  made.push(one);
  return { one, reported };
}

async function rendered(one: Gathering): Promise<string> {
  const snapshots = await one.source.collect();
  return (Array.isArray(snapshots) ? snapshots : [snapshots]).map((snapshot) => toLineProtocol(snapshot)).join('');
}

/** A worker thread as `process`'s 'worker' event gives it, started now: one that never reports. */
function startThread(threadId: number): EventEmitter {
  const thread = Object.assign(new EventEmitter(), { threadId });
  process.emit('worker' as never, thread as never);
  return thread;
}

test('@runometer/cluster failing to load is said once, and the meter goes on with its own lines', async () => {
  vi.doMock('@runometer/cluster', () => {
    throw new Error('broken install');
  });
  try {
    const { one, reported } = gather(false);
    const thread = startThread(6);
    expect(await rendered(one)).toBe('app,app=checkout up=1i\n');
    // The error is vitest's, which wraps the factory's.
    expect(reported).toEqual([
      expect.stringMatching(/^runometer: @runometer\/cluster failed to load \(.+\); the meter goes on without its workers' lines$/),
    ]);
    thread.emit('exit', 0);
  } finally {
    vi.doUnmock('@runometer/cluster');
  }
});

test('an app with no workers keeps its lines as they are: no thread or worker tag, no counts', async () => {
  const { one } = gather(false);
  expect(await rendered(one)).toBe('app,app=checkout up=1i\n');
});

test("from the first worker thread the app starts, the meter's lines are the main thread's, with the threads' counts; a scrape at once waits for them", async () => {
  const { one, reported } = gather(false);
  const thread = startThread(7);
  const gone = startThread(10);
  gone.emit('exit', 0);
  expect(await rendered(one)).toBe(
    'app,app=checkout,thread=main up=1i,worker_threads_asked=0i,worker_threads_answered=0i,worker_threads_timed_out=0i,worker_threads_exited=0i\n',
  );
  // Started before @runometer/cluster was imported, the running thread was handed over: the source listens for its hello.
  expect([thread.listenerCount('message'), gone.listenerCount('message')]).toEqual([1, 0]);
  expect(reported).toEqual([]);
  thread.emit('exit', 0);
});

test("from the first fork, in a cluster's primary, the meter's lines are the primary's, with the workers' counts", async () => {
  const { one } = gather(true);
  cluster.emit('fork', new EventEmitter());
  expect(await rendered(one)).toBe(
    `app,app=checkout,pid=${process.pid},worker=primary up=1i,cluster_workers_asked=0i,cluster_workers_answered=0i,cluster_workers_timed_out=0i,cluster_workers_died=0i\n`,
  );
});

test('closed, it stops watching: a later thread or fork changes nothing, nor one whose gathering it was still loading', async () => {
  const { one } = gather(true);
  const loading = startThread(8);
  one.close();
  const later = startThread(9);
  cluster.emit('fork', new EventEmitter());
  expect(await rendered(one)).toBe('app,app=checkout up=1i\n');
  expect([loading.listenerCount('message'), later.listenerCount('message')]).toEqual([0, 0]);
  loading.emit('exit', 0);
  later.emit('exit', 0);
});
