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

const none: GatherCounts = { asked: 0, answered: 0, timedOut: 0, gone: 0 };
const count = { type: 'integer', unit: 'count' } as const;

/** A preset class of one gather's count fields, over the `GatherTally` of its meter's container. */
export type GatherPreset = new (tally: GatherTally) => object;

/** The preset `name` of one gather's counts: `keys` for its fields, whose help names its reporters `who` and says how they go away. */
function gatherPreset(name: string, keys: (typeof GATHER_FIELDS)[keyof typeof GATHER_FIELDS], who: string, goneHow: string): GatherPreset {
  @preset(name, { inject: [GatherTally] })
  class GatherCountsPreset {
    constructor(private readonly tally: GatherTally) {}

    @contextBuilder()
    read(): GatherCounts {
      return this.tally.last ?? none;
    }

    @field(keys.asked, { ...count, help: `${who} asked for their lines in the last scrape.` })
    asked(ctx: GatherCounts) {
      return ctx.asked;
    }

    @field(keys.answered, { ...count, help: `${who} whose lines are in the last scrape.` })
    answered(ctx: GatherCounts) {
      return ctx.answered;
    }

    @field(keys.timedOut, { ...count, help: `${who} left out of the last scrape: no answer within the timeout.` })
    timedOut(ctx: GatherCounts) {
      return ctx.timedOut;
    }

    @field(keys.gone, { ...count, help: `${who} that ${goneHow} during the last scrape.` })
    gone(ctx: GatherCounts) {
      return ctx.gone;
    }
  }
  return GatherCountsPreset;
}

/**
 * The partial-scrape fields of a cluster's primary, written on the primary's own line by
 * `clusterSource`, which fills them from each gather. Declared here so that the catalog (README
 * tables, dashboards) reads them; there is no need to `use()` it on a meter.
 */
export const ClusterPreset = gatherPreset('cluster', GATHER_FIELDS.cluster, 'Workers', 'exited or disconnected');

/** The same for a parent thread's worker threads, written by `threadsSource`. */
export const WorkerThreadsPreset = gatherPreset(
  'worker-threads',
  GATHER_FIELDS.threads,
  'Worker threads',
  'exited or closed their reporter',
);

/** A meter of one of the presets above over a tally of its own: its fields, rendered from the tally. */
export function countsMeter(presetClass: GatherPreset, tally: GatherTally): Runometer {
  const scoped = container.createChildContainer();
  scoped.register(GatherTally, { useValue: tally });
  return new Runometer('counts', { container: scoped, renderTimeout: Infinity }).use(presetClass);
}
