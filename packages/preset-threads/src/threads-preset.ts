import { contextBuilder, field, inject, preset, series, type Lease, type PresetLifecycle, type RenderScope } from '@runometer/core';
import type { DelayStats } from './delay-histogram.js';
import { EventLoopMonitor, type LoopTime } from './event-loop-monitor.js';
import { ThreadsProbe } from './threads-probe.js';

interface ThreadsContext {
  delay: DelayStats | undefined;
  loop: LoopTime | undefined;
  /** Active resources by type, or undefined where the runtime does not list them. */
  resources: ReadonlyMap<string, number> | undefined;
}

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
@preset('threads')
export class ThreadsPreset implements PresetLifecycle {
  private leases: Lease[] = [];

  constructor(
    @inject(EventLoopMonitor) private readonly monitor: EventLoopMonitor,
    @inject(ThreadsProbe) private readonly probe: ThreadsProbe
  ) {}

  open(): void {
    this.leases = [this.monitor.acquire(), this.probe.acquire()];
  }

  async close(): Promise<void> {
    await Promise.all(this.leases.map((lease) => lease.release()));
  }

  @contextBuilder()
  read(_ctx: unknown, render: RenderScope): ThreadsContext {
    return { delay: this.monitor.delay(), loop: this.monitor.loop(), resources: this.probe.activeResources(render) };
  }

  @field('eventloop_delay_min_seconds', { help: 'Least event-loop delay over the last 10 s, in seconds.' })
  delayMin(ctx: ThreadsContext) {
    return seconds(ctx.delay?.min);
  }

  @field('eventloop_delay_max_seconds', { help: 'Greatest event-loop delay over the last 10 s, in seconds.' })
  delayMax(ctx: ThreadsContext) {
    return seconds(ctx.delay?.max);
  }

  @field('eventloop_delay_mean_seconds', { help: 'Mean event-loop delay over the last 10 s, in seconds.' })
  delayMean(ctx: ThreadsContext) {
    return seconds(ctx.delay?.mean);
  }

  @field('eventloop_delay_p50_seconds', { help: 'Median event-loop delay over the last 10 s, in seconds.' })
  delayP50(ctx: ThreadsContext) {
    return seconds(ctx.delay?.p50);
  }

  @field('eventloop_delay_p90_seconds', { help: '90th percentile of the event-loop delay over the last 10 s, in seconds.' })
  delayP90(ctx: ThreadsContext) {
    return seconds(ctx.delay?.p90);
  }

  @field('eventloop_delay_p99_seconds', { help: '99th percentile of the event-loop delay over the last 10 s, in seconds.' })
  delayP99(ctx: ThreadsContext) {
    return seconds(ctx.delay?.p99);
  }

  @field('eventloop_delay_samples', { type: 'integer', help: 'Event-loop delay samples over the last 10 s.' })
  delaySamples(ctx: ThreadsContext) {
    return ctx.delay?.count;
  }

  @field('eventloop_utilization', { help: 'Share of the last 10 s the event loop spent running code, from 0 to 1.' })
  utilization(ctx: ThreadsContext) {
    return ctx.loop?.utilization;
  }

  @field('eventloop_active_seconds', { kind: 'counter', help: 'Time the event loop has spent running code, in seconds.' })
  activeSeconds(ctx: ThreadsContext) {
    return seconds(ctx.loop?.active);
  }

  @field('eventloop_idle_seconds', { kind: 'counter', help: 'Time the event loop has spent waiting for events, in seconds.' })
  idleSeconds(ctx: ThreadsContext) {
    return seconds(ctx.loop?.idle);
  }

  @field('active_resources', { type: 'integer', help: 'Resources the event loop waits on.' })
  activeResources(ctx: ThreadsContext) {
    return sumOf(ctx.resources, () => true);
  }

  @field('active_handles', { type: 'integer', help: 'Handles the event loop waits on: sockets, servers, immediates and others.' })
  activeHandles(ctx: ThreadsContext) {
    return sumOf(ctx.resources, (type) => type !== TIMER && !REQUEST.test(type));
  }

  @field('active_requests', { type: 'integer', help: 'Requests in flight that the event loop waits on.' })
  activeRequests(ctx: ThreadsContext) {
    return sumOf(ctx.resources, (type) => REQUEST.test(type));
  }

  @field('active_timers', { type: 'integer', help: 'Timers that keep the process alive.' })
  activeTimers(ctx: ThreadsContext) {
    return sumOf(ctx.resources, (type) => type === TIMER);
  }

  @field('workers_alive', { type: 'integer', help: 'Worker threads started since the preset started and not yet exited.' })
  workersAlive() {
    return this.probe.workersAlive();
  }

  @field('threadpool_size', { type: 'integer', help: 'Size of the libuv threadpool.' })
  threadpoolSize() {
    return this.probe.threadpoolSize();
  }

  @series('active_resources_by_type', {
    tags: ['resource_type'],
    fields: { resources: { type: 'integer', help: 'Active resources of this type.' } },
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
