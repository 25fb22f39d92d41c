import cluster, { type Worker } from 'node:cluster';
import type { SnapshotSource } from '@runometer/core';
import { Aggregator, type AggregateOptions, type AggregateSource } from './aggregator.js';
import { countsMeter, ClusterPreset, GatherTally } from './presets.js';
import { message, ours } from './protocol.js';
import { tagsOf } from './tags.js';

const ignore = () => {};

/**
 * In a cluster's primary: a source whose every scrape yields the primary's own snapshots, tagged
 * `worker=primary` and its `pid`, with the `cluster_workers_*` counts on its own line, and the
 * snapshots of every worker that runs `reportToPrimary`, asked over IPC in parallel and tagged
 * with the worker's cluster id and pid. A worker that does not answer within `timeout` is left out
 * of that scrape; one that exits or disconnects while asked is counted as died. Workers without a
 * reporter are never asked.
 */
export function clusterSource(own: SnapshotSource, options: AggregateOptions = {}): AggregateSource {
  if (typeof cluster?.on !== 'function' || cluster.isPrimary !== true) {
    throw new Error('clusterSource() runs in the primary of a node:cluster (in a worker, use reportToPrimary(source))');
  }
  const tally = new GatherTally();
  const aggregate: Aggregator = new Aggregator(
    own,
    tagsOf({ pid: String(process.pid), worker: 'primary' }),
    { meter: countsMeter(ClusterPreset, tally), tally },
    options,
    () => {
      cluster.off('message', onMessage);
      cluster.off('exit', onGone);
      cluster.off('disconnect', onGone);
    },
  );

  function onMessage(worker: Worker, received: unknown): void {
    const incoming = ours(received);
    if (incoming === undefined) return;
    if (incoming.type === 'hello') {
      const tags = tagsOf({ pid: String(worker.process.pid), worker: String(worker.id) });
      aggregate.add(worker.id, {
        tags,
        ask(ask, lost) {
          try {
            worker.send(ask, (error: Error | null) => error && lost());
          } catch {
            lost();
          }
        },
      });
    } else if (incoming.type === 'answer') {
      aggregate.receive(worker.id, incoming);
    } else if (incoming.type === 'bye') {
      aggregate.remove(worker.id);
    }
  }
  function onGone(worker: Worker): void {
    aggregate.remove(worker.id);
  }

  cluster.on('message', onMessage);
  cluster.on('exit', onGone);
  cluster.on('disconnect', onGone);
  // Workers whose reporter started before this source said hello to no one: ask who is there.
  const asked: number[] = [];
  for (const worker of Object.values(cluster.workers ?? {})) {
    if (!worker?.isConnected()) continue;
    try {
      worker.send(message('discover', {}), ignore);
      asked.push(worker.id);
    } catch {
      // Gone already: its exit is on its way.
    }
  }
  aggregate.discover(asked);
  return aggregate;
}
