import { totalmem } from 'node:os';
import { describe, expect, test } from 'vitest';
import { renderPresets, type PresetOutput } from './render-presets.js';
import { runOn, type ChildRuntime } from './runtimes.js';

// The exact fields each runtime emits, so that a field that silently disappears (or a stub
// that sneaks in as a zero) fails the suite. The presets' READMEs carry the same tables.
const MEMORY_BASE = ['rss_bytes', 'heap_total_bytes', 'heap_used_bytes', 'external_bytes'];
const HEAP_STATISTICS = [
  'heap_size_limit_bytes',
  'heap_available_bytes',
  'heap_physical_bytes',
  'malloced_bytes',
  'malloced_peak_bytes',
  'native_contexts',
  'detached_contexts',
];
const PROC_MEMORY = ['virtual_memory_bytes', 'data_and_stack_bytes', 'available_memory_bytes'];
const SOCKET_COUNTS = ['tcp_sockets', 'tcp_servers', 'udp_sockets', 'pipes'];
const SOCKET_TRAFFIC = ['client_sockets_opened', 'server_sockets_accepted', 'sockets_closed', 'socket_bytes_read', 'socket_bytes_written'];
const DELAY = [
  'eventloop_delay_min_seconds',
  'eventloop_delay_max_seconds',
  'eventloop_delay_mean_seconds',
  'eventloop_delay_p50_seconds',
  'eventloop_delay_p90_seconds',
  'eventloop_delay_p99_seconds',
  'eventloop_delay_samples',
];
const UTILIZATION = ['eventloop_utilization', 'eventloop_active_seconds', 'eventloop_idle_seconds'];
const RESOURCES = ['active_resources', 'active_handles', 'active_requests', 'active_timers'];
const OTHER = [
  'uptime_seconds',
  'start_time_seconds',
  'cpu_user_seconds',
  'cpu_system_seconds',
  'cpu_seconds',
  'cpu_percent',
  'max_rss_bytes',
  'fs_reads',
  'fs_writes',
  'voluntary_context_switches',
  'involuntary_context_switches',
  'open_fds',
  'max_fds',
  'pid',
];
const HEAP_SPACES = { heap_spaces: ['space_size_bytes', 'space_used_bytes', 'space_available_bytes', 'space_physical_bytes'] };
const GC = { gc: ['gc_count', 'gc_pause_seconds'] };

const EXPECTED: Record<'node' | ChildRuntime, Omit<PresetOutput, 'runtime' | 'faults'>> = {
  node: {
    fields: [
      ...[...MEMORY_BASE, 'array_buffers_bytes', ...HEAP_STATISTICS, ...PROC_MEMORY],
      ...[...SOCKET_COUNTS, ...SOCKET_TRAFFIC],
      ...[...DELAY, ...UTILIZATION, ...RESOURCES, 'workers_alive', 'threadpool_size'],
      ...OTHER,
    ],
    series: { ...HEAP_SPACES, ...GC },
  },
  bun: {
    // No array_buffers_bytes: Bun's arrayBuffers counts neither Buffers nor typed arrays.
    fields: [...[...MEMORY_BASE, ...PROC_MEMORY], ...[...DELAY, 'workers_alive'], ...OTHER],
    series: {},
  },
  deno: {
    fields: [
      ...[...MEMORY_BASE, ...HEAP_STATISTICS, ...PROC_MEMORY],
      ...[...SOCKET_COUNTS.filter((key) => key !== 'udp_sockets'), ...SOCKET_TRAFFIC],
      ...[...DELAY, ...RESOURCES, 'workers_alive'],
      ...OTHER,
    ],
    series: { ...HEAP_SPACES, ...GC },
  },
};

/**
 * A cgroup memory limit exists on some machines and not on others: `constrained_memory_bytes`
 * is checked apart, and the by-type resource series depends on what happens to be open.
 */
function comparable(output: PresetOutput) {
  const { active_resources_by_type: _byType, ...series } = output.series;
  return { fields: output.fields.filter((key) => key !== 'constrained_memory_bytes'), series, faults: output.faults };
}

describe('the presets emit exactly the fields each runtime can measure', () => {
  test('on Node', async () => {
    const output = await renderPresets();
    expect(output.runtime).toBe('node');
    expect(comparable(output)).toEqual({ ...EXPECTED.node, faults: [] });
    const limit = process.constrainedMemory?.();
    expect(output.fields.includes('constrained_memory_bytes')).toBe(limit !== undefined && limit > 0 && limit < totalmem());
  });

  test.each(['bun', 'deno'] as const)('on %s', async (runtime) => {
    const output: PresetOutput = JSON.parse(await runOn(runtime, 'test/render-presets.ts'));
    expect(output.runtime).toBe(runtime);
    expect(comparable(output)).toEqual({ ...EXPECTED[runtime], faults: [] });
  }, 60_000);
});

describe('on Deno, a field left out for a missing permission is reported once, with what to grant', () => {
  const READ_FROM_PROC = ['virtual_memory_bytes', 'data_and_stack_bytes', 'open_fds', 'max_fds'];
  const PROC_FAULTS = [
    'field "virtual_memory_bytes" left out: needs permission to read /proc/self/statm: grant --allow-all',
    'field "data_and_stack_bytes" left out: needs permission to read /proc/self/statm: grant --allow-all',
  ];
  const FD_FAULTS = [
    'field "open_fds" left out: needs permission to read /proc/self/fd: grant --allow-all',
    'field "max_fds" left out: needs permission to read /proc/self/limits: grant --allow-all',
  ];

  test('with every permission but --allow-all: the fields read from /proc', async () => {
    const output: PresetOutput = JSON.parse(await runOn('deno', 'test/render-presets.ts', 60_000, ['--allow-sys=systemMemoryInfo']));
    expect(comparable(output)).toEqual({
      fields: EXPECTED.deno.fields.filter((key) => !READ_FROM_PROC.includes(key)),
      series: EXPECTED.deno.series,
      faults: [...PROC_FAULTS, ...FD_FAULTS],
    });
  }, 60_000);

  test('with none: those, and the memory limits', async () => {
    const output: PresetOutput = JSON.parse(await runOn('deno', 'test/render-presets.ts', 60_000, []));
    const systemMemoryInfo = 'needs permission to read system information systemMemoryInfo: grant --allow-sys=systemMemoryInfo';
    expect(comparable(output)).toEqual({
      fields: EXPECTED.deno.fields.filter((key) => !READ_FROM_PROC.includes(key) && key !== 'available_memory_bytes'),
      series: EXPECTED.deno.series,
      faults: [
        ...PROC_FAULTS,
        `field "constrained_memory_bytes" left out: ${systemMemoryInfo}`,
        `field "available_memory_bytes" left out: ${systemMemoryInfo}`,
        ...FD_FAULTS,
      ],
    });
  }, 60_000);
});
