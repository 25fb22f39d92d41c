import { container, decoratorsFor, injectable, preset, Runometer } from '@runometer/core';

/** What one gather found: how many reporters were asked, answered, did not answer in time, and went away mid-scrape. */
export interface GatherCounts {
  readonly asked: number;
  readonly answered: number;
  readonly timedOut: number;
  readonly gone: number;
}

/** The counts of the last gather, read by the presets below; an aggregate source keeps its own. */
@injectable()
export class GatherTally {
  last: GatherCounts | undefined;
}

const { contextBuilder, field } = decoratorsFor<GatherCounts>();

/** Each gather's count fields (their keys) and how its reports are named, for whoever reads them: the cli's check, the dashboards. */
export const GATHER_FIELDS = {
  cluster: {
    what: 'cluster workers',
    wentAway: 'died',
    asked: 'cluster_workers_asked',
    answered: 'cluster_workers_answered',
    timedOut: 'cluster_workers_timed_out',
    gone: 'cluster_workers_died',
  },
  threads: {
    what: 'worker threads',
    wentAway: 'exited',
    asked: 'worker_threads_asked',
    answered: 'worker_threads_answered',
    timedOut: 'worker_threads_timed_out',
    gone: 'worker_threads_exited',
  },
} as const;
const CLUSTER = GATHER_FIELDS.cluster;
const THREADS = GATHER_FIELDS.threads;

const none: GatherCounts = { asked: 0, answered: 0, timedOut: 0, gone: 0 };
const count = { type: 'integer', unit: 'count' } as const;

/**
 * The partial-scrape fields of a cluster's primary, written on the primary's own line by
 * `clusterSource`, which fills them from each gather. Declared here so that the catalog (README
 * tables, dashboards) reads them; there is no need to `use()` it on a meter.
 */
@preset('cluster', { inject: [GatherTally] })
export class ClusterPreset {
  constructor(private readonly tally: GatherTally) {}

  @contextBuilder()
  read(): GatherCounts {
    return this.tally.last ?? none;
  }

  @field(CLUSTER.asked, { ...count, help: 'Workers asked for their lines in the last scrape.' })
  asked(ctx: GatherCounts) {
    return ctx.asked;
  }

  @field(CLUSTER.answered, { ...count, help: 'Workers whose lines are in the last scrape.' })
  answered(ctx: GatherCounts) {
    return ctx.answered;
  }

  @field(CLUSTER.timedOut, { ...count, help: 'Workers left out of the last scrape: no answer within the timeout.' })
  timedOut(ctx: GatherCounts) {
    return ctx.timedOut;
  }

  @field(CLUSTER.gone, { ...count, help: 'Workers that exited or disconnected during the last scrape.' })
  died(ctx: GatherCounts) {
    return ctx.gone;
  }
}

/** The same for a parent thread's worker threads, written by `threadsSource`. */
@preset('worker-threads', { inject: [GatherTally] })
export class WorkerThreadsPreset {
  constructor(private readonly tally: GatherTally) {}

  @contextBuilder()
  read(): GatherCounts {
    return this.tally.last ?? none;
  }

  @field(THREADS.asked, { ...count, help: 'Worker threads asked for their lines in the last scrape.' })
  asked(ctx: GatherCounts) {
    return ctx.asked;
  }

  @field(THREADS.answered, { ...count, help: 'Worker threads whose lines are in the last scrape.' })
  answered(ctx: GatherCounts) {
    return ctx.answered;
  }

  @field(THREADS.timedOut, { ...count, help: 'Worker threads left out of the last scrape: no answer within the timeout.' })
  timedOut(ctx: GatherCounts) {
    return ctx.timedOut;
  }

  @field(THREADS.gone, { ...count, help: 'Worker threads that exited or closed their reporter during the last scrape.' })
  exited(ctx: GatherCounts) {
    return ctx.gone;
  }
}

/** A meter of one of the presets above over a tally of its own: its fields, rendered from the tally. */
export function countsMeter(presetClass: typeof ClusterPreset | typeof WorkerThreadsPreset, tally: GatherTally): Runometer {
  const scoped = container.createChildContainer();
  scoped.register(GatherTally, { useValue: tally });
  return new Runometer('counts', { container: scoped, renderTimeout: Infinity }).use(presetClass);
}
