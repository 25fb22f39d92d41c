// A primary with two workers, and a parent with a worker thread, in whatever runtime runs this file
// (from the sources): prints what the primary's and the parent's scrapes held, as JSON.
import cluster from 'node:cluster';
import { isMainThread, Worker } from 'node:worker_threads';
import { Runometer, toLineProtocol } from '@runometer/core';
import { parseLines } from '@runometer/core/format';
import { clusterSource, reportToParent, reportToPrimary, threadsSource } from '@runometer/cluster';

export interface AggregatedOutput {
  cluster: { workers: string[]; answered: string | undefined; pidsDiffer: boolean };
  threads: { threads: string[]; answered: string | undefined };
}

const meter = () => new Runometer('app').addField('big', () => 2n ** 60n, { type: 'integer' });
const summary = (body: string, tag: string, count: string) => {
  const lines = parseLines(body);
  return { tags: lines.map((line) => line.tags[tag] ?? ''), answered: lines[0]?.fields[count]?.value?.toString(), lines };
};

if (!isMainThread) {
  reportToParent(meter());
  // A thread with work of its own: the reporter alone keeps no thread alive.
  setInterval(() => {}, 60_000);
} else if (cluster.isWorker) {
  reportToPrimary(meter());
  process.send?.('ready');
} else {
  const workers = [cluster.fork(), cluster.fork()];
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
  const primary = clusterSource(meter(), { timeout: 10_000 }); // the first scrape waits for both hellos
  const fromCluster = summary(toLineProtocol(await primary.collect()), 'worker', 'cluster_workers_answered');
  primary.close();
  for (const worker of workers) worker.kill();

  const thread = new Worker(new URL(import.meta.url));
  const parent = threadsSource(meter());
  // The thread is found once its reporter has said hello: within a few scrapes.
  let body = toLineProtocol(await parent.collect());
  for (let tries = 0; tries < 100 && !body.includes('worker_threads_answered=1i'); tries++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    body = toLineProtocol(await parent.collect());
  }
  const fromThreads = summary(body, 'thread', 'worker_threads_answered');
  parent.close();
  await thread.terminate();

  const output: AggregatedOutput = {
    cluster: {
      workers: fromCluster.tags,
      answered: fromCluster.answered,
      pidsDiffer:
        new Set(fromCluster.lines.map((line) => line.tags['pid'])).size === 3 &&
        fromCluster.lines.every((line) => line.fields['big']?.value === 2n ** 60n),
    },
    threads: { threads: fromThreads.tags, answered: fromThreads.answered },
  };
  console.log(JSON.stringify(output));
}
