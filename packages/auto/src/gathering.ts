import cluster from 'node:cluster';
import type { Worker } from 'node:worker_threads';
import type { Runometer, SnapshotSource } from '@runometer/core';
import type { AggregateSource } from '@runometer/cluster';
import { errorMessage } from './error-message.js';

type ClusterPackage = typeof import('@runometer/cluster');

/** What a meter serves, pushes or reports, as the process it runs in grows workers. */
export interface Gathering {
  readonly source: SnapshotSource;
  /** Stops watching for workers and gathering from them; never closes the meter. */
  close(): void;
}

/**
 * The meter's lines alone while the app has no workers; from the first worker thread it starts
 * (`process`'s 'worker' event), its threads' too, each tagged `thread` (`threadsSource`); from
 * the first node:cluster worker it forks (`forks`: in a cluster's primary), every worker's, each
 * tagged `worker` and `pid` (`clusterSource`), whatever order the app forks and starts threads in.
 * An app with no workers keeps its lines as they are: no `thread` or `worker` tag, no counts.
 * `@runometer/cluster` is imported at the first worker (at start it would cost an app with none 8
 * to 20 ms of CPU), and a scrape meanwhile waits for it; `report` says if it fails to load.
 */
export function gathering(
  meter: Runometer,
  { forks, report }: { readonly forks: boolean; readonly report: (line: string) => void },
): Gathering {
  let threads: AggregateSource | undefined;
  let workers: AggregateSource | undefined;
  let closed = false;
  let loading: Promise<void> | undefined;
  const withCluster = (make: (clusterPackage: ClusterPackage) => void) => {
    const made = import('@runometer/cluster').then(
      (clusterPackage) => {
        if (!closed) make(clusterPackage);
      },
      (error: unknown) =>
        report(`runometer: @runometer/cluster failed to load (${errorMessage(error)}); the meter goes on without its workers' lines`),
    );
    loading = Promise.all([loading, made]).then(() => {});
  };
  /** A source that collects whatever `current()` is at each scrape (the meter until a gathering replaces it), once `loading` has settled. */
  const following = (current: () => SnapshotSource): SnapshotSource => ({
    name: meter.name,
    get closed() {
      return meter.closed;
    },
    collect: () => (loading === undefined ? current().collect() : loading.then(() => current().collect())),
  });
  const own = following(() => threads ?? meter);
  // The threads started before @runometer/cluster was imported, which it cannot see start: handed over to it.
  const early = new Set<Worker>();
  let threadsAsked = false;
  const onThread = (worker: Worker) => {
    early.add(worker);
    worker.once('exit', () => early.delete(worker));
    if (threadsAsked) return;
    threadsAsked = true;
    withCluster(({ threadsSource }) => {
      process.off('worker', onThread);
      threads = threadsSource(meter, { workers: early });
    });
  };
  const onFork = () => {
    cluster.off('fork', onFork);
    withCluster(({ clusterSource }) => {
      workers = clusterSource(own);
    });
  };
  process.on('worker', onThread);
  if (forks) cluster.on('fork', onFork);
  return {
    source: following(() => workers ?? own),
    close() {
      closed = true;
      process.off('worker', onThread);
      cluster.off('fork', onFork);
      threads?.close();
      workers?.close();
    },
  };
}
