import { decoratorsFor, isPermissionDenied, preset, type Lease, type PermissionDeniedError, type PresetLifecycle } from '@runometer/core';
import type v8 from 'node:v8';
import type { ProcMemory } from './proc-statm.js';
import { MemoryProbe, type MemoryUsage } from './memory-probe.js';

interface MemoryContext {
  usage: MemoryUsage;
  heap: v8.HeapInfo | undefined;
  /** Or the runtime's refusal to read /proc: the fields that need it are left out, the others render. */
  proc: ProcMemory | PermissionDeniedError | undefined;
}

const { contextBuilder, field, series } = decoratorsFor<MemoryContext>();

function procOf(ctx: MemoryContext): ProcMemory | undefined {
  if (isPermissionDenied(ctx.proc)) throw ctx.proc;
  return ctx.proc;
}

/** Pharometer's addMemoryMetrics in a JavaScript runtime's terms: the process, the V8 heap, its spaces. */
@preset('memory', { inject: [MemoryProbe] })
export class MemoryPreset implements PresetLifecycle {
  constructor(private readonly probe: MemoryProbe) {}

  open(): Lease {
    return this.probe.acquire();
  }

  @contextBuilder()
  read(): MemoryContext {
    return { usage: this.probe.memoryUsage(), heap: this.probe.heapStatistics(), proc: this.readProc() };
  }

  private readProc(): MemoryContext['proc'] {
    try {
      return this.probe.procMemory();
    } catch (error) {
      if (isPermissionDenied(error)) return error;
      throw error;
    }
  }

  @field('rss_bytes', { type: 'integer', unit: 'bytes', help: 'Resident set size of the process, in bytes.', requires: [] })
  rss(ctx: MemoryContext) {
    return ctx.usage.rss;
  }

  @field('heap_total_bytes', { type: 'integer', unit: 'bytes', help: 'V8 heap reserved, in bytes.', requires: [] })
  heapTotal(ctx: MemoryContext) {
    return ctx.usage.heapTotal;
  }

  @field('heap_used_bytes', { type: 'integer', unit: 'bytes', help: 'V8 heap in use, in bytes.', requires: [] })
  heapUsed(ctx: MemoryContext) {
    return ctx.usage.heapUsed;
  }

  @field('external_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'Memory of C++ objects bound to JavaScript objects, in bytes.',
    requires: [],
  })
  external(ctx: MemoryContext) {
    return ctx.usage.external;
  }

  @field('array_buffers_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'Memory of ArrayBuffers and SharedArrayBuffers, Buffers included, in bytes.',
    requires: ['arrayBuffersCountBuffers'],
  })
  arrayBuffers(ctx: MemoryContext) {
    return ctx.usage.arrayBuffers;
  }

  @field('heap_size_limit_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'Hard limit of the V8 heap, in bytes.',
    requires: ['heapStatistics'],
  })
  heapSizeLimit(ctx: MemoryContext) {
    return ctx.heap?.heap_size_limit;
  }

  @field('heap_available_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'What the V8 heap may still grow by, in bytes.',
    requires: ['heapStatistics'],
  })
  heapAvailable(ctx: MemoryContext) {
    return ctx.heap?.total_available_size;
  }

  @field('heap_physical_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'V8 heap memory actually committed, in bytes.',
    requires: ['heapStatistics'],
  })
  heapPhysical(ctx: MemoryContext) {
    return ctx.heap?.total_physical_size;
  }

  @field('malloced_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'Memory V8 allocated with malloc, in bytes.',
    requires: ['heapStatistics'],
  })
  malloced(ctx: MemoryContext) {
    return ctx.heap?.malloced_memory;
  }

  @field('malloced_peak_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'Most memory V8 ever allocated with malloc, in bytes.',
    requires: ['heapStatistics'],
  })
  mallocedPeak(ctx: MemoryContext) {
    return ctx.heap?.peak_malloced_memory;
  }

  @field('native_contexts', {
    type: 'integer',
    unit: 'count',
    help: 'Top-level contexts alive; steady growth means a leak.',
    requires: ['heapStatistics'],
  })
  nativeContexts(ctx: MemoryContext) {
    return ctx.heap?.number_of_native_contexts;
  }

  @field('detached_contexts', {
    type: 'integer',
    unit: 'count',
    help: 'Contexts detached and not yet collected; non-zero for long means a leak.',
    requires: ['heapStatistics'],
  })
  detachedContexts(ctx: MemoryContext) {
    return ctx.heap?.number_of_detached_contexts;
  }

  @field('virtual_memory_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'Virtual memory mapped by the process (VmSize), in bytes.',
    requires: ['procSelf'],
  })
  virtualMemory(ctx: MemoryContext) {
    return procOf(ctx)?.virtual;
  }

  @field('data_and_stack_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'Data segment, heap and main stack of the process (VmData + VmStk), in bytes.',
    requires: ['procSelf'],
  })
  dataAndStack(ctx: MemoryContext) {
    return procOf(ctx)?.dataAndStack;
  }

  @field('constrained_memory_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'Memory limit of the cgroup, in bytes; read at most every 10 s.',
    requires: ['constrainedMemory'],
    when: 'a cgroup memory limit is set',
  })
  constrainedMemory() {
    return this.probe.constrainedMemory();
  }

  @field('available_memory_bytes', {
    type: 'integer',
    unit: 'bytes',
    help: 'Memory the process may still take, cgroup limit included, in bytes; read at most every 10 s.',
    requires: ['availableMemory'],
  })
  availableMemory() {
    return this.probe.availableMemory();
  }

  @series('heap_spaces', {
    tags: ['space'],
    fields: {
      space_size_bytes: { type: 'integer', unit: 'bytes', help: 'Size of the V8 heap space, in bytes.', requires: ['heapSpaces'] },
      space_used_bytes: { type: 'integer', unit: 'bytes', help: 'Used in the V8 heap space, in bytes.', requires: ['heapSpaces'] },
      space_available_bytes: {
        type: 'integer',
        unit: 'bytes',
        help: 'Still available in the V8 heap space, in bytes.',
        requires: ['heapSpaces'],
      },
      space_physical_bytes: {
        type: 'integer',
        unit: 'bytes',
        help: 'Committed for the V8 heap space, in bytes.',
        requires: ['heapSpaces'],
      },
    },
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
