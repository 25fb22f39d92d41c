import { PermissionDeniedError, Runometer, SharedWork, container } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { MemoryPreset } from './memory-preset.js';
import { MemoryProbe } from './memory-probe.js';

const heap = {
  total_heap_size: 9674752,
  total_heap_size_executable: 262144,
  total_physical_size: 8663040,
  total_available_size: 4340187336,
  used_heap_size: 4965904,
  heap_size_limit: 4345298944,
  malloced_memory: 270512,
  peak_malloced_memory: 1096808,
  does_zap_garbage: 0,
  number_of_native_contexts: 1,
  number_of_detached_contexts: 0,
  total_global_handles_size: 8192,
  used_global_handles_size: 2592,
  external_memory: 1679311,
};

function fakeProbe(overrides: Partial<Record<keyof MemoryProbe, unknown>> = {}) {
  const events: string[] = [];
  const work = new SharedWork(
    () => events.push('acquire'),
    () => void events.push('release'),
  );
  const probe = {
    memoryUsage: () => ({ rss: 65818624, heapTotal: 9674752, heapUsed: 4972784, external: 1679311, arrayBuffers: 18895 }),
    heapStatistics: () => heap,
    heapSpaces: () => [
      { space_name: 'new_space', space_size: 4194304, space_used_size: 61008, space_available_size: 2000000, physical_space_size: 4194304 },
      {
        space_name: 'old_space',
        space_size: 4947968,
        space_used_size: 4400024,
        space_available_size: 300000,
        physical_space_size: 4900000,
      },
    ],
    procMemory: () => ({ virtual: 1_100_000_000, dataAndStack: 90_000_000 }),
    constrainedMemory: () => 536870912,
    availableMemory: () => 400000000,
    acquire: () => work.acquire(),
    ...overrides,
  };
  const scoped = container.createChildContainer();
  scoped.register(MemoryProbe, { useValue: probe as unknown as MemoryProbe });
  return { scoped, events };
}

describe('MemoryPreset', () => {
  test('renders every reading of the probe, integers as integers, one line per heap space', async () => {
    const { scoped } = fakeProbe();
    const meter = new Runometer('node', { container: scoped }).addTag('app', 'api').use(MemoryPreset);
    expect(await meter.render()).toBe(
      [
        'node,app=api rss_bytes=65818624i,heap_total_bytes=9674752i,heap_used_bytes=4972784i,external_bytes=1679311i,' +
          'array_buffers_bytes=18895i,heap_size_limit_bytes=4345298944i,heap_available_bytes=4340187336i,' +
          'heap_physical_bytes=8663040i,malloced_bytes=270512i,malloced_peak_bytes=1096808i,native_contexts=1i,' +
          'detached_contexts=0i,virtual_memory_bytes=1100000000i,data_and_stack_bytes=90000000i,' +
          'constrained_memory_bytes=536870912i,available_memory_bytes=400000000i',
        'node,app=api,space=new_space space_size_bytes=4194304i,space_used_bytes=61008i,space_available_bytes=2000000i,space_physical_bytes=4194304i',
        'node,app=api,space=old_space space_size_bytes=4947968i,space_used_bytes=4400024i,space_available_bytes=300000i,space_physical_bytes=4900000i',
        '',
      ].join('\n'),
    );
  });

  test('leaves out what the runtime cannot give, as on Bun: no heap statistics, no heap spaces, no cgroup limit', async () => {
    const { scoped } = fakeProbe({ heapStatistics: () => undefined, heapSpaces: () => undefined, constrainedMemory: () => undefined });
    const meter = new Runometer('bun', { container: scoped }).use('memory');
    expect(await meter.render()).toBe(
      'bun rss_bytes=65818624i,heap_total_bytes=9674752i,heap_used_bytes=4972784i,external_bytes=1679311i,array_buffers_bytes=18895i,' +
        'virtual_memory_bytes=1100000000i,data_and_stack_bytes=90000000i,available_memory_bytes=400000000i\n',
    );
  });

  test('leaves out array buffers where the runtime reports a constant 0 (Deno), and /proc where it cannot be read', async () => {
    const { scoped } = fakeProbe({
      memoryUsage: () => ({ rss: 1, heapTotal: 2, heapUsed: 3, external: 4, arrayBuffers: undefined }),
      heapStatistics: () => undefined,
      heapSpaces: () => undefined,
      procMemory: () => undefined,
      constrainedMemory: () => undefined,
      availableMemory: () => undefined,
    });
    expect(await new Runometer('deno', { container: scoped }).use(MemoryPreset).render()).toBe(
      'deno rss_bytes=1i,heap_total_bytes=2i,heap_used_bytes=3i,external_bytes=4i\n',
    );
  });

  test('holds the probe while a meter uses it: two meters share one hold, released with the last', async () => {
    const { scoped, events } = fakeProbe();
    const first = new Runometer('node', { container: scoped }).use(MemoryPreset);
    const second = new Runometer('node', { container: scoped }).use(MemoryPreset);
    expect(events).toEqual(['acquire']);
    await first.close();
    expect(events).toEqual(['acquire']);
    await second.close();
    expect(events).toEqual(['acquire', 'release']);
  });

  test("a meter closed twice releases its hold once, never another meter's", async () => {
    const { scoped, events } = fakeProbe();
    const meter = new Runometer('node', { container: scoped }).use(MemoryPreset);
    const other = new Runometer('node', { container: scoped }).use(MemoryPreset);
    await meter.close();
    await meter.close();
    expect(events).toEqual(['acquire']);
    await other.close();
    expect(events).toEqual(['acquire', 'release']);
  });

  test('leaves out what a missing permission keeps from it, reported once with the flag to grant', async () => {
    const proc = new PermissionDeniedError('read /proc/self/statm', '--allow-all');
    const sys = new PermissionDeniedError('read system information systemMemoryInfo', '--allow-sys=systemMemoryInfo');
    const { scoped } = fakeProbe({
      heapSpaces: () => undefined,
      procMemory: () => {
        throw proc;
      },
      constrainedMemory: () => {
        throw sys;
      },
      availableMemory: () => {
        throw sys;
      },
    });
    const faults: string[] = [];
    const meter = new Runometer('deno', { container: scoped, onError: (error) => faults.push(`${error.reason}: ${error.message}`) }).use(
      MemoryPreset,
    );
    const rendered =
      'deno rss_bytes=65818624i,heap_total_bytes=9674752i,heap_used_bytes=4972784i,external_bytes=1679311i,array_buffers_bytes=18895i,' +
      'heap_size_limit_bytes=4345298944i,heap_available_bytes=4340187336i,heap_physical_bytes=8663040i,malloced_bytes=270512i,' +
      'malloced_peak_bytes=1096808i,native_contexts=1i,detached_contexts=0i\n';
    expect(await meter.render()).toBe(rendered);
    expect(await meter.render()).toBe(rendered);
    expect(faults).toEqual([
      'denied: field "virtual_memory_bytes" left out: needs permission to read /proc/self/statm: grant --allow-all',
      'denied: field "data_and_stack_bytes" left out: needs permission to read /proc/self/statm: grant --allow-all',
      'denied: field "constrained_memory_bytes" left out: needs permission to read system information systemMemoryInfo: grant --allow-sys=systemMemoryInfo',
      'denied: field "available_memory_bytes" left out: needs permission to read system information systemMemoryInfo: grant --allow-sys=systemMemoryInfo',
    ]);
  });
});
