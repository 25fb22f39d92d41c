import { contextBuilder, field, inject, preset, series, tag, type PresetLifecycle } from '@runometer/core';
import { GC_KINDS, ProcessMonitor } from './process-monitor.js';
import { ProcessProbe, type ResourceUsage } from './process-probe.js';

interface OtherContext {
  usage: ResourceUsage;
}

const count = { type: 'integer' } as const;

/**
 * Pharometer's addOtherMetrics in JavaScript terms: time, CPU, resource usage, file
 * descriptors, garbage collection, and which runtime this is.
 */
@preset('other')
export class OtherPreset implements PresetLifecycle {
  constructor(
    @inject(ProcessProbe) private readonly probe: ProcessProbe,
    @inject(ProcessMonitor) private readonly monitor: ProcessMonitor,
  ) {}

  open(): void {
    this.probe.acquire();
    this.monitor.start();
  }

  close(): void {
    this.monitor.stop();
    this.probe.release();
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

  @field('uptime_seconds')
  uptime() {
    return this.probe.uptime();
  }

  @field('start_time_seconds')
  startTime() {
    return this.probe.startTime;
  }

  @field('cpu_user_seconds')
  cpuUser(ctx: OtherContext) {
    return ctx.usage.userCPUTime / 1e6;
  }

  @field('cpu_system_seconds')
  cpuSystem(ctx: OtherContext) {
    return ctx.usage.systemCPUTime / 1e6;
  }

  @field('cpu_seconds')
  cpuTotal(ctx: OtherContext) {
    return (ctx.usage.userCPUTime + ctx.usage.systemCPUTime) / 1e6;
  }

  @field('cpu_percent')
  cpuPercent(ctx: OtherContext) {
    return this.monitor.cpuPercent(ctx.usage.userCPUTime + ctx.usage.systemCPUTime);
  }

  @field('max_rss_bytes', count)
  maxRss(ctx: OtherContext) {
    return ctx.usage.maxRSS * 1024;
  }

  @field('fs_reads', count)
  fsReads(ctx: OtherContext) {
    return ctx.usage.fsRead;
  }

  @field('fs_writes', count)
  fsWrites(ctx: OtherContext) {
    return ctx.usage.fsWrite;
  }

  @field('voluntary_context_switches', count)
  voluntaryContextSwitches(ctx: OtherContext) {
    return ctx.usage.voluntaryContextSwitches;
  }

  @field('involuntary_context_switches', count)
  involuntaryContextSwitches(ctx: OtherContext) {
    return ctx.usage.involuntaryContextSwitches;
  }

  @field('open_fds', count)
  openFds() {
    return this.probe.openFds();
  }

  @field('max_fds', count)
  maxFds() {
    return this.probe.maxFds();
  }

  @field('pid', count)
  pid() {
    return this.probe.pid;
  }

  @series('gc', { tags: ['gc_kind'], fields: { gc_count: count, gc_pause_seconds: {} } })
  gc() {
    const totals = this.monitor.gcTotals();
    return totals && GC_KINDS.map((kind) => ({ tags: { gc_kind: kind }, fields: { gc_count: totals.get(kind)!.count, gc_pause_seconds: totals.get(kind)!.pause / 1e6 } }));
  }
}
