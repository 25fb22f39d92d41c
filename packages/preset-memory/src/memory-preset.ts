import { contextBuilder, field, inject, preset, series, type PresetLifecycle } from '@runometer/core';
import type v8 from 'node:v8';
import type { ProcMemory } from './proc-statm.js';
import { MemoryProbe, type MemoryUsage } from './memory-probe.js';

interface MemoryContext {
  usage: MemoryUsage;
  heap: v8.HeapInfo | undefined;
  proc: ProcMemory | undefined;
}

const bytes = { type: 'integer' } as const;

/** Pharometer's addMemoryMetrics in a JavaScript runtime's terms: the process, the V8 heap, its spaces. */
@preset('memory')
export class MemoryPreset implements PresetLifecycle {
  constructor(@inject(MemoryProbe) private readonly probe: MemoryProbe) {}

  open(): void {
    this.probe.acquire();
  }

  close(): void {
    this.probe.release();
  }

  @contextBuilder()
  read(): MemoryContext {
    return { usage: this.probe.memoryUsage(), heap: this.probe.heapStatistics(), proc: this.probe.procMemory() };
  }

  @field('rss_bytes', bytes)
  rss(ctx: MemoryContext) {
    return ctx.usage.rss;
  }

  @field('heap_total_bytes', bytes)
  heapTotal(ctx: MemoryContext) {
    return ctx.usage.heapTotal;
  }

  @field('heap_used_bytes', bytes)
  heapUsed(ctx: MemoryContext) {
    return ctx.usage.heapUsed;
  }

  @field('external_bytes', bytes)
  external(ctx: MemoryContext) {
    return ctx.usage.external;
  }

  @field('array_buffers_bytes', bytes)
  arrayBuffers(ctx: MemoryContext) {
    return ctx.usage.arrayBuffers;
  }

  @field('heap_size_limit_bytes', bytes)
  heapSizeLimit(ctx: MemoryContext) {
    return ctx.heap?.heap_size_limit;
  }

  @field('heap_available_bytes', bytes)
  heapAvailable(ctx: MemoryContext) {
    return ctx.heap?.total_available_size;
  }

  @field('heap_physical_bytes', bytes)
  heapPhysical(ctx: MemoryContext) {
    return ctx.heap?.total_physical_size;
  }

  @field('malloced_bytes', bytes)
  malloced(ctx: MemoryContext) {
    return ctx.heap?.malloced_memory;
  }

  @field('malloced_peak_bytes', bytes)
  mallocedPeak(ctx: MemoryContext) {
    return ctx.heap?.peak_malloced_memory;
  }

  @field('native_contexts', { type: 'integer' })
  nativeContexts(ctx: MemoryContext) {
    return ctx.heap?.number_of_native_contexts;
  }

  @field('detached_contexts', { type: 'integer' })
  detachedContexts(ctx: MemoryContext) {
    return ctx.heap?.number_of_detached_contexts;
  }

  @field('virtual_memory_bytes', bytes)
  virtualMemory(ctx: MemoryContext) {
    return ctx.proc?.virtual;
  }

  @field('data_and_stack_bytes', bytes)
  dataAndStack(ctx: MemoryContext) {
    return ctx.proc?.dataAndStack;
  }

  @field('constrained_memory_bytes', bytes)
  constrainedMemory() {
    return this.probe.constrainedMemory();
  }

  @field('available_memory_bytes', bytes)
  availableMemory() {
    return this.probe.availableMemory();
  }

  @series('heap_spaces', {
    tags: ['space'],
    fields: { space_size_bytes: bytes, space_used_bytes: bytes, space_available_bytes: bytes, space_physical_bytes: bytes },
  })
  heapSpaces() {
    return this.probe.heapSpaces()?.map((space) => ({
      tags: { space: space.space_name },
      fields: {
        space_size_bytes: space.space_size,
        space_used_bytes: space.space_used_size,
        space_available_bytes: space.space_available_size,
        space_physical_bytes: space.physical_space_size,
      },
    }));
  }
}
