import { BroadcastChannel, type MessagePort, type Worker } from 'node:worker_threads';
import type { SnapshotSource } from '@runometer/core';
import { Aggregator, type AggregateOptions, type AggregateSource } from './aggregator.js';
import { countsMeter, GatherTally, WorkerThreadsPreset } from './presets.js';
import { DISCOVERY_CHANNEL, message, ours } from './protocol.js';
import { tagsOf } from './tags.js';

/** The worker threads of this thread that are alive, known from the moment this module is imported (or handed to a source). */
const live = new Set<Worker>();
const onWorkerStarted = new Set<(worker: Worker) => void>();
function known(worker: Worker): void {
  if (live.has(worker)) return;
  live.add(worker);
  worker.once('exit', () => live.delete(worker));
}
if (typeof process?.on === 'function') {
  process.on('worker', (worker: Worker) => {
    known(worker);
    for (const watch of onWorkerStarted) watch(worker);
  });
}

export interface ThreadsSourceOptions extends AggregateOptions {
  /**
   * Running worker threads that this thread started before it imported this package, which it
   * could not see start: a preload that imports the package at the app's first thread hands that
   * thread over here.
   */
  readonly workers?: Iterable<Worker>;
}

/**
 * In a parent thread (the main one, usually): a source whose every scrape yields its own snapshots,
 * tagged `thread=main`, with the `worker_threads_*` counts on its own line, and the snapshots of
 * every worker thread that runs `reportToParent`, each tagged with its `thread` id. Threads are
 * known from the moment this package is imported (`process`'s 'worker' event), or once handed over
 * in `workers`, so one started before this source (or before the meter) is found: the source asks
 * who reports when it is made.
 */
export function threadsSource(own: SnapshotSource, options: ThreadsSourceOptions = {}): AggregateSource {
  if (typeof process?.on !== 'function')
    throw new Error("threadsSource() needs process's 'worker' event, which this runtime does not emit");
  const tally = new GatherTally();
  /** Each reporting thread's current port, and every listener this source added, to take them back. */
  const ports = new Map<number, MessagePort>();
  const watched = new Map<Worker, { threadId: number; onMessage: (received: unknown) => void; onExit: () => void }>();

  const aggregate = new Aggregator(
    own,
    tagsOf({ thread: 'main' }),
    { meter: countsMeter(WorkerThreadsPreset, tally), tally },
    options,
    () => {
      onWorkerStarted.delete(startedWorker);
      for (const [worker, { onMessage, onExit }] of watched) {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      }
      watched.clear();
      for (const port of ports.values()) port.close();
      ports.clear();
    },
  );

  function forget(threadId: number, port?: MessagePort): void {
    // A reporter that said hello again closed its previous port: that port's close is no news.
    if (port !== undefined && ports.get(threadId) !== port) return;
    ports.delete(threadId);
    aggregate.remove(threadId);
  }

  function onHello(threadId: number, port: MessagePort): void {
    ports.get(threadId)?.close();
    ports.set(threadId, port);
    port.addEventListener('message', ((event: { data: unknown }) => {
      const incoming = ours(event.data);
      if (incoming?.type === 'answer') aggregate.receive(threadId, incoming);
      else if (incoming?.type === 'bye') forget(threadId, port);
    }) as never);
    port.addEventListener('close', () => forget(threadId, port));
    port.start();
    port.unref?.();
    aggregate.add(threadId, {
      tags: tagsOf({ thread: String(threadId) }),
      ask(ask, lost) {
        try {
          port.postMessage(ask);
        } catch {
          lost();
        }
      },
    });
  }

  function startedWorker(worker: Worker): void {
    watch(worker);
    discover();
  }

  function watch(worker: Worker): void {
    const threadId = worker.threadId;
    const onMessage = (received: unknown) => {
      const incoming = ours(received);
      if (incoming?.type === 'hello' && typeof (incoming.port as MessagePort | undefined)?.postMessage === 'function')
        onHello(threadId, incoming.port as MessagePort);
    };
    const onExit = () => {
      watched.delete(worker);
      forget(threadId);
    };
    watched.set(worker, { threadId, onMessage, onExit });
    worker.on('message', onMessage);
    worker.once('exit', onExit);
  }

  // Threads whose reporter started before this source listened said hello to no one: ask who is
  // there, now and whenever a thread starts (Bun and Deno tell of a thread only once it is online,
  // and its hello may have come before).
  const discover = () => {
    const channel = new BroadcastChannel(DISCOVERY_CHANNEL);
    channel.postMessage(message('discover', {}));
    channel.close();
  };
  onWorkerStarted.add(startedWorker);
  for (const worker of options.workers ?? []) known(worker);
  for (const worker of live) watch(worker);
  discover();
  aggregate.discover([...watched.values()].map(({ threadId }) => threadId));
  return aggregate;
}
