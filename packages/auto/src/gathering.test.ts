import { EventEmitter } from 'node:events';
import { toLineProtocol, Runometer } from '@runometer/core';
import { afterEach, expect, test } from 'vitest';
import { gathering, type Gathering } from './gathering.js';

const made: Gathering[] = [];
afterEach(() => {
  for (const one of made.splice(0)) one.close();
});

const meter = () => new Runometer('app').addTag('app', 'checkout').addField('up', () => 1, { type: 'integer' });

async function rendered(one: Gathering): Promise<string> {
  const snapshots = await one.source.collect();
  return (Array.isArray(snapshots) ? snapshots : [snapshots]).map((snapshot) => toLineProtocol(snapshot)).join('');
}

test('an app with no workers keeps its lines as they are: no thread or worker tag, no counts', async () => {
  const one = gathering(meter(), { forks: false });
  made.push(one);
  expect(await rendered(one)).toBe('app,app=checkout up=1i\n');
});

test("from the first worker thread the app starts, the meter's lines are the main thread's, with the threads' counts", async () => {
  const one = gathering(meter(), { forks: false });
  made.push(one);
  const thread = Object.assign(new EventEmitter(), { threadId: 7 });
  process.emit('worker' as never, thread as never);
  expect(await rendered(one)).toBe(
    'app,app=checkout,thread=main up=1i,worker_threads_asked=0i,worker_threads_answered=0i,worker_threads_timed_out=0i,worker_threads_exited=0i\n',
  );
  thread.emit('exit', 0);
});

test('closed, it stops watching: a later thread changes nothing', async () => {
  const one = gathering(meter(), { forks: false });
  one.close();
  const thread = Object.assign(new EventEmitter(), { threadId: 8 });
  process.emit('worker' as never, thread as never);
  expect(await rendered(one)).toBe('app,app=checkout up=1i\n');
  thread.emit('exit', 0);
});
