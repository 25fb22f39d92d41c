import cluster from 'node:cluster';
import type { Runometer, SnapshotSource } from '@runometer/core';
import { clusterSource, threadsSource, type AggregateSource } from '@runometer/cluster';

/** What a meter serves, pushes or reports, as the process it runs in grows workers. */
export interface Gathering {
  readonly source: SnapshotSource;
  /** Stops watching for workers and gathering from them; never closes the meter. */
  close(): void;
}

/** A source that collects whatever `current()` is at each scrape: the meter until a gathering replaces it. */
function following(meter: Runometer, current: () => SnapshotSource): SnapshotSource {
  return {
    name: meter.name,
    get closed() {
      return meter.closed;
    },
    collect: () => current().collect(),
  };
}

/**
 * The meter's lines alone while the app has no workers; from the first worker thread it starts
 * (`process`'s 'worker' event), its threads' too, each tagged `thread` (`threadsSource`); from
 * the first node:cluster worker it forks (`forks`: in a cluster's primary), every worker's, each
 * tagged `worker` and `pid` (`clusterSource`), whatever order the app forks and starts threads in.
 * An app with no workers keeps its lines as they are: no `thread` or `worker` tag, no counts.
 */
export function gathering(meter: Runometer, { forks }: { readonly forks: boolean }): Gathering {
  let threads: AggregateSource | undefined;
  let workers: AggregateSource | undefined;
  const own = following(meter, () => threads ?? meter);
  const onThread = () => {
    threads ??= threadsSource(meter);
  };
  const onFork = () => {
    workers ??= clusterSource(own);
  };
  process.on('worker', onThread);
  if (forks) cluster.on('fork', onFork);
  return {
    source: following(meter, () => workers ?? own),
    close() {
      process.off('worker', onThread);
      cluster.off('fork', onFork);
      threads?.close();
      workers?.close();
    },
  };
}
