import { decoratorsFor, preset, type Lease, type PresetLifecycle } from '@runometer/core';
import { GC_DURATION_BUCKETS } from './gc-counter.js';
import { ProcessMonitor } from './process-monitor.js';
import { ProcessProbe, type ResourceUsage } from './process-probe.js';

interface OtherContext {
  usage: ResourceUsage;
}

const { contextBuilder, field, series, tag } = decoratorsFor<OtherContext>();

/**
 * Pharometer's addOtherMetrics in JavaScript terms: time, CPU, resource usage, file
 * descriptors, garbage collection, and which runtime this is.
 */
@preset('other', { inject: [ProcessProbe, ProcessMonitor] })
export class OtherPreset implements PresetLifecycle {
  constructor(
    private readonly probe: ProcessProbe,
    private readonly monitor: ProcessMonitor,
  ) {}

  open(): Lease[] {
    return [this.probe.acquire(), this.monitor.acquire()];
  }

  /** The monitor's layout (`ProcessMonitor.gcDurationBuckets`), which the meter's field takes. */
  bucketsOf(key: string): readonly number[] | undefined {
    return key === 'gc_duration_seconds' ? this.monitor.useGcDurationBuckets() : undefined;
  }

  @contextBuilder()
  read(): OtherContext {
    return { usage: this.probe.resourceUsage() };
  }

  @tag('runtime')
  runtime() {
    return this.probe.runtime.name;
  }

  @tag('runtime_version')
  runtimeVersion() {
    return this.probe.runtime.version;
  }

  @field('uptime_seconds', { unit: 'seconds', help: 'Time since the process started, in seconds.', requires: [] })
  uptime() {
    return this.probe.uptime();
  }

  @field('start_time_seconds', { unit: 'epoch_seconds', help: 'When the process started, in seconds since the epoch.', requires: [] })
  startTime() {
    return this.probe.startTime;
  }

  @field('cpu_user_seconds_total', { kind: 'counter', unit: 'seconds', help: 'User CPU time of the process, in seconds.', requires: [] })
  cpuUser(ctx: OtherContext) {
    return ctx.usage.userCPUTime / 1e6;
  }

  @field('cpu_system_seconds_total', {
    kind: 'counter',
    unit: 'seconds',
    help: 'System CPU time of the process, in seconds.',
    requires: [],
  })
  cpuSystem(ctx: OtherContext) {
    return ctx.usage.systemCPUTime / 1e6;
  }

  @field('cpu_seconds_total', {
    kind: 'counter',
    unit: 'seconds',
    help: 'User and system CPU time of the process, in seconds.',
    requires: [],
  })
  cpuTotal(ctx: OtherContext) {
    return (ctx.usage.userCPUTime + ctx.usage.systemCPUTime) / 1e6;
  }

  @field('cpu_percent', { unit: 'percent', help: 'CPU used over the last 10 s, in percent of one core.', requires: [] })
  cpuPercent(ctx: OtherContext) {
    return this.monitor.cpuPercent(ctx.usage.userCPUTime + ctx.usage.systemCPUTime);
  }

  @field('max_rss_bytes', { type: 'integer', unit: 'bytes', help: 'Most resident memory the process ever had, in bytes.', requires: [] })
  maxRss(ctx: OtherContext) {
    return ctx.usage.maxRSS * 1024;
  }

  @field('fs_reads_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Block input operations of the process.',
    requires: [],
  })
  fsReads(ctx: OtherContext) {
    return ctx.usage.fsRead;
  }

  @field('fs_writes_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Block output operations of the process.',
    requires: [],
  })
  fsWrites(ctx: OtherContext) {
    return ctx.usage.fsWrite;
  }

  @field('voluntary_context_switches_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Times the process gave up the CPU while waiting.',
    requires: [],
  })
  voluntaryContextSwitches(ctx: OtherContext) {
    return ctx.usage.voluntaryContextSwitches;
  }

  @field('involuntary_context_switches_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Times the kernel took the CPU from the process.',
    requires: [],
  })
  involuntaryContextSwitches(ctx: OtherContext) {
    return ctx.usage.involuntaryContextSwitches;
  }

  @field('open_fds', { type: 'integer', unit: 'count', help: 'Open file descriptors.', requires: ['procSelf'] })
  openFds() {
    return this.probe.openFds();
  }

  @field('max_fds', { type: 'integer', unit: 'count', help: 'Soft limit on open file descriptors.', requires: ['procSelf'] })
  maxFds() {
    return this.probe.maxFds();
  }

  @field('pid', { type: 'integer', unit: 'none', help: 'Process id.', requires: [] })
  pid() {
    return this.probe.pid;
  }

  @series('gc', {
    tags: ['gc_kind'],
    fields: {
      gc_duration_seconds: {
        kind: 'histogram',
        buckets: GC_DURATION_BUCKETS,
        unit: 'seconds',
        help: 'Pause of each garbage collection of this kind since the preset started, in seconds: its count is the collections, its sum their time.',
        requires: ['gcProfiler'],
      },
    },
  })
  gc() {
    const durations = this.monitor.gcDurations();
    return durations && [...durations].map(([kind, pauses]) => ({ tags: { gc_kind: kind }, fields: { gc_duration_seconds: pauses } }));
  }
}
