import { decoratorsFor, preset, type HistogramValue, type Lease, type PresetLifecycle, type RenderScope } from '@runometer/core';
import type { DelayStats } from './delay-histogram.js';
import { DELAY_BUCKETS, DELAY_NATIVE, EventLoopMonitor, type LoopTime } from './event-loop-monitor.js';
import { ThreadsProbe } from './threads-probe.js';

interface ThreadsContext {
  delay: DelayStats | undefined;
  delays: HistogramValue | undefined;
  loop: LoopTime | undefined;
  /** Active resources by type, or undefined where the runtime does not list them. */
  resources: ReadonlyMap<string, number> | undefined;
}

const { contextBuilder, field, series } = decoratorsFor<ThreadsContext>();

const REQUEST = /Req(Wrap|Callback|Promise)?$|^(WriteWrap|ShutdownWrap|ConnectWrap|SendWrap)$/;
const TIMER = 'Timeout';

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function sumOf(resources: ReadonlyMap<string, number> | undefined, include: (type: string) => boolean): number | undefined {
  if (resources === undefined) return undefined;
  let total = 0;
  for (const [type, n] of resources) if (include(type)) total += n;
  return total;
}

/**
 * Pharometer's addThreadMetrics in JavaScript terms: the event loop (its delay and utilization
 * over a rolling window), the handles, requests and timers it waits on, and worker threads.
 */
@preset('threads', { inject: [EventLoopMonitor, ThreadsProbe] })
export class ThreadsPreset implements PresetLifecycle {
  constructor(
    private readonly monitor: EventLoopMonitor,
    private readonly probe: ThreadsProbe,
  ) {}

  open(): Lease[] {
    return [this.monitor.acquire(), this.probe.acquire()];
  }

  @contextBuilder()
  read(_ctx: unknown, render: RenderScope): ThreadsContext {
    return {
      delay: this.monitor.delay(),
      delays: this.monitor.delays(),
      loop: this.monitor.loop(),
      resources: this.probe.activeResources(render),
    };
  }

  /** The monitor's layout (`EventLoopMonitor.delayBuckets`), which the meter's field takes. */
  bucketsOf(key: string): readonly number[] | undefined {
    return key === 'eventloop_delay_seconds' ? this.monitor.useDelayBuckets() : undefined;
  }

  @field('eventloop_delay_seconds', {
    kind: 'histogram',
    buckets: DELAY_BUCKETS,
    native: DELAY_NATIVE,
    unit: 'seconds',
    help: 'Event-loop delay samples since the preset started: how late each turn of the sampler came, in seconds.',
    requires: [],
  })
  delays(ctx: ThreadsContext) {
    return ctx.delays;
  }

  @field('eventloop_delay_min_seconds', { unit: 'seconds', help: 'Least event-loop delay over the last 10 s, in seconds.', requires: [] })
  delayMin(ctx: ThreadsContext) {
    return seconds(ctx.delay?.min);
  }

  @field('eventloop_delay_max_seconds', {
    unit: 'seconds',
    help: 'Greatest event-loop delay over the last 10 s, in seconds.',
    requires: [],
  })
  delayMax(ctx: ThreadsContext) {
    return seconds(ctx.delay?.max);
  }

  @field('eventloop_delay_mean_seconds', { unit: 'seconds', help: 'Mean event-loop delay over the last 10 s, in seconds.', requires: [] })
  delayMean(ctx: ThreadsContext) {
    return seconds(ctx.delay?.mean);
  }

  @field('eventloop_delay_p50_seconds', { unit: 'seconds', help: 'Median event-loop delay over the last 10 s, in seconds.', requires: [] })
  delayP50(ctx: ThreadsContext) {
    return seconds(ctx.delay?.p50);
  }

  @field('eventloop_delay_p90_seconds', {
    unit: 'seconds',
    help: '90th percentile of the event-loop delay over the last 10 s, in seconds.',
    requires: [],
  })
  delayP90(ctx: ThreadsContext) {
    return seconds(ctx.delay?.p90);
  }

  @field('eventloop_delay_p99_seconds', {
    unit: 'seconds',
    help: '99th percentile of the event-loop delay over the last 10 s, in seconds.',
    requires: [],
  })
  delayP99(ctx: ThreadsContext) {
    return seconds(ctx.delay?.p99);
  }

  @field('eventloop_delay_samples', { type: 'integer', unit: 'count', help: 'Event-loop delay samples over the last 10 s.', requires: [] })
  delaySamples(ctx: ThreadsContext) {
    return ctx.delay?.count;
  }

  @field('eventloop_utilization', {
    unit: 'ratio',
    help: 'Share of the last 10 s the event loop spent running code, from 0 to 1.',
    requires: ['loopUtilization'],
  })
  utilization(ctx: ThreadsContext) {
    return ctx.loop?.utilization;
  }

  @field('eventloop_active_seconds_total', {
    kind: 'counter',
    unit: 'seconds',
    help: 'Time the event loop has spent running code, in seconds.',
    requires: ['loopUtilization'],
  })
  activeSeconds(ctx: ThreadsContext) {
    return seconds(ctx.loop?.active);
  }

  @field('eventloop_idle_seconds_total', {
    kind: 'counter',
    unit: 'seconds',
    help: 'Time the event loop has spent waiting for events, in seconds.',
    requires: ['loopUtilization'],
  })
  idleSeconds(ctx: ThreadsContext) {
    return seconds(ctx.loop?.idle);
  }

  @field('active_resources', { type: 'integer', unit: 'count', help: 'Resources the event loop waits on.', requires: ['activeResources'] })
  activeResources(ctx: ThreadsContext) {
    return sumOf(ctx.resources, () => true);
  }

  @field('active_handles', {
    type: 'integer',
    unit: 'count',
    help: 'Handles the event loop waits on: sockets, servers, immediates and others.',
    requires: ['activeResources'],
  })
  activeHandles(ctx: ThreadsContext) {
    return sumOf(ctx.resources, (type) => type !== TIMER && !REQUEST.test(type));
  }

  @field('active_requests', {
    type: 'integer',
    unit: 'count',
    help: 'Requests in flight that the event loop waits on.',
    requires: ['activeResources'],
  })
  activeRequests(ctx: ThreadsContext) {
    return sumOf(ctx.resources, (type) => REQUEST.test(type));
  }

  @field('active_timers', { type: 'integer', unit: 'count', help: 'Timers that keep the process alive.', requires: ['activeResources'] })
  activeTimers(ctx: ThreadsContext) {
    return sumOf(ctx.resources, (type) => type === TIMER);
  }

  @field('workers_alive', {
    type: 'integer',
    unit: 'count',
    help: 'Worker threads started since the preset started and not yet exited.',
    requires: ['workerEvents'],
  })
  workersAlive() {
    return this.probe.workersAlive();
  }

  @field('threadpool_size', { type: 'integer', unit: 'count', help: 'Size of the libuv threadpool.', requires: ['libuvThreadpool'] })
  threadpoolSize() {
    return this.probe.threadpoolSize();
  }

  @series('active_resources_by_type', {
    tags: ['resource_type'],
    fields: {
      resources: {
        type: 'integer',
        unit: 'count',
        help: 'Active resources of this type.',
        requires: ['activeResources'],
        when: 'the event loop waits on something',
      },
    },
  })
  resourcesByType(ctx: ThreadsContext) {
    return (
      ctx.resources &&
      [...ctx.resources]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([type, n]) => ({ tags: { resource_type: type }, fields: { resources: n } }))
    );
  }
}
