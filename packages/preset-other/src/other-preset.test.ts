import { Runometer, SharedWork, container } from '@runometer/core';
import { PerformanceObserver } from 'node:perf_hooks';
import { describe, expect, test, vi } from 'vitest';
import { OtherPreset } from './other-preset.js';
import type { HistogramValue } from '@runometer/core';
import { GC_DURATION_BUCKETS, type GcKind } from './gc-counter.js';
import { ProcessMonitor } from './process-monitor.js';
import { ProcessProbe } from './process-probe.js';

const usage = {
  userCPUTime: 1_500_000,
  systemCPUTime: 250_000,
  maxRSS: 64412,
  fsRead: 616,
  fsWrite: 8,
  voluntaryContextSwitches: 199,
  involuntaryContextSwitches: 25,
};

function withFakes(probe: Partial<ProcessProbe>, monitor: Partial<ProcessMonitor>, events: string[] = []) {
  const work = (name: string) =>
    new SharedWork(
      () => events.push(`${name} start`),
      () => void events.push(`${name} stop`),
    );
  const holding = work('probe');
  const running = work('monitor');
  const scoped = container.createChildContainer();
  scoped.register(ProcessProbe, {
    useValue: {
      runtime: { name: 'node', version: '20.20.2' },
      pid: 4242,
      startTime: 1795608000.5,
      uptime: () => 12.25,
      resourceUsage: () => usage,
      openFds: () => 23,
      maxFds: () => 1048576,
      acquire: () => holding.acquire(),
      ...probe,
    } as ProcessProbe,
  });
  scoped.register(ProcessMonitor, { useValue: { acquire: () => running.acquire(), ...monitor } as ProcessMonitor });
  return scoped;
}

/** The fake monitor's layout, in seconds, and each kind's pauses in it. */
const gcLayout = { useGcDurationBuckets: () => [0.001, 0.01] };
const gc = new Map<GcKind, HistogramValue>([
  ['minor', { counts: [38, 2, 0], sum: 0.025 }],
  ['major', { counts: [0, 1, 1], sum: 0.0125 }],
  ['incremental', { counts: [3, 0, 0], sum: 0.0015 }],
  ['weakcb', { counts: [0, 0, 0], sum: 0 }],
]);
/** A kind's lines: its sum and count, then its buckets, cumulative. */
const gcLines = (kind: GcKind, sum: number, cumulative: [number, number, number]) => [
  `node,gc_kind=${kind},runtime=node,runtime_version=20.20.2 gc_duration_seconds_sum=${sum},gc_duration_seconds_count=${cumulative[2]}i`,
  ...['0.001', '0.01', '+Inf'].map(
    (le, i) => `node,gc_kind=${kind},le=${le},runtime=node,runtime_version=20.20.2 gc_duration_seconds_bucket=${cumulative[i]}i`,
  ),
];

describe('OtherPreset', () => {
  test("renders time, CPU, resource usage, descriptors, runtime tags and each GC kind's pauses in the monitor's buckets", async () => {
    // The fake gives CPU microseconds / 50 000: 1.75 s of CPU reads as 35%.
    const scoped = withFakes({}, { ...gcLayout, cpuPercent: (cpuMicroseconds: number) => cpuMicroseconds / 50_000, gcDurations: () => gc });
    expect(await new Runometer('node', { container: scoped }).use(OtherPreset).render()).toBe(
      [
        'node,runtime=node,runtime_version=20.20.2 uptime_seconds=12.25,start_time_seconds=1795608000.5,cpu_user_seconds_total=1.5,' +
          'cpu_system_seconds_total=0.25,cpu_seconds_total=1.75,cpu_percent=35,max_rss_bytes=65957888i,fs_reads_total=616i,fs_writes_total=8i,' +
          'voluntary_context_switches_total=199i,involuntary_context_switches_total=25i,open_fds=23i,max_fds=1048576i,pid=4242i',
        ...gcLines('minor', 0.025, [38, 40, 40]),
        ...gcLines('major', 0.0125, [0, 1, 2]),
        ...gcLines('incremental', 0.0015, [3, 3, 3]),
        ...gcLines('weakcb', 0, [0, 0, 0]),
        '',
      ].join('\n'),
    );
  });

  test('leaves out GC where the runtime reports none (Bun, Deno) and descriptors where /proc cannot be read', async () => {
    const scoped = withFakes(
      { runtime: { name: 'deno', version: '2.9.6' }, openFds: () => undefined, maxFds: () => undefined },
      { ...gcLayout, cpuPercent: () => 12, gcDurations: () => undefined },
    );
    expect(await new Runometer('deno', { container: scoped }).use(OtherPreset).render()).toBe(
      'deno,runtime=deno,runtime_version=2.9.6 uptime_seconds=12.25,start_time_seconds=1795608000.5,cpu_user_seconds_total=1.5,' +
        'cpu_system_seconds_total=0.25,cpu_seconds_total=1.75,cpu_percent=12,max_rss_bytes=65957888i,fs_reads_total=616i,fs_writes_total=8i,' +
        'voluntary_context_switches_total=199i,involuntary_context_switches_total=25i,pid=4242i\n',
    );
  });
});

test('OtherPreset holds the probe and the monitor from the first meter to the last; a meter closed twice releases once', async () => {
  const events: string[] = [];
  const scoped = withFakes({}, { ...gcLayout, cpuPercent: () => 1, gcDurations: () => undefined }, events);
  const first = new Runometer('node', { container: scoped }).use(OtherPreset);
  const second = new Runometer('node', { container: scoped }).use(OtherPreset);
  await first.close();
  await first.close();
  expect(events).toEqual(['probe start', 'monitor start']);
  await second.close();
  expect(events).toEqual(['probe start', 'monitor start', 'probe stop', 'monitor stop']);
});

describe('ProcessProbe on this Node process', () => {
  test.runIf(process.platform === 'linux')('counts open file descriptors exactly', async () => {
    const { open } = await import('node:fs/promises');
    const probe = new ProcessProbe();
    const lease = probe.acquire();
    const before = probe.openFds()!;
    const handles = await Promise.all(Array.from({ length: 5 }, () => open('/proc/self/status', 'r')));
    expect(probe.openFds()).toBe(before + 5);
    await Promise.all(handles.map((handle) => handle.close()));
    expect(probe.openFds()).toBe(before);
    expect(probe.maxFds()).toBeGreaterThan(before);
    lease.release();
    // Without the descriptor it kept, the count is the same.
    expect(probe.openFds()).toBe(before);
  });

  test('knows when the process started', () => {
    const probe = new ProcessProbe();
    expect(Math.abs(probe.startTime + probe.uptime() - Date.now() / 1000)).toBeLessThan(1);
  });
});

describe('ProcessMonitor', () => {
  test('counts no collections once closed', () => {
    const monitor = new ProcessMonitor();
    const lease = monitor.acquire();
    expect([...monitor.gcDurations()!.keys()]).toEqual(['minor', 'major', 'incremental', 'weakcb']);
    lease.release();
    expect(monitor.gcDurations()).toBeUndefined();
  });

  test('with countCollections false, leaves GC out and observes nothing; turned on while running, counts from zero', () => {
    const observe = vi.spyOn(PerformanceObserver.prototype, 'observe');
    try {
      const monitor = new ProcessMonitor();
      monitor.countCollections = false;
      const lease = monitor.acquire();
      expect(monitor.gcDurations()).toBeUndefined();
      expect(observe).not.toHaveBeenCalled();
      monitor.countCollections = true;
      expect(observe.mock.calls).toEqual([[{ entryTypes: ['gc'] }]]);
      const empty = { counts: new Float64Array(GC_DURATION_BUCKETS.length + 1), sum: 0 };
      expect([...monitor.gcDurations()!.values()]).toEqual(Array(4).fill(empty));
      monitor.countCollections = false;
      expect(monitor.gcDurations()).toBeUndefined();
      lease.release();
      expect(monitor.countCollections).toBe(false);
    } finally {
      observe.mockRestore();
    }
  });

  test('counts in gcDurationBuckets, which cannot change once it counts or a meter uses the preset', () => {
    const monitor = new ProcessMonitor();
    expect(monitor.gcDurationBuckets).toEqual(GC_DURATION_BUCKETS);
    monitor.gcDurationBuckets = [0.001];
    const lease = monitor.acquire();
    expect([...monitor.gcDurations()!.values()][0]).toEqual({ counts: new Float64Array(2), sum: 0 });
    expect(() => (monitor.gcDurationBuckets = [0.01])).toThrow(
      'ProcessMonitor.gcDurationBuckets cannot change once the monitor started counting collections: counts of one layout cannot be written under another; set it before that',
    );
    lease.release();
    const unused = new ProcessMonitor();
    expect(unused.useGcDurationBuckets()).toEqual(GC_DURATION_BUCKETS);
    expect(() => (unused.gcDurationBuckets = [0.01])).toThrow(
      'ProcessMonitor.gcDurationBuckets cannot change once a meter uses the other preset',
    );
  });

  test('refuses a countCollections that is not a boolean', () => {
    const monitor = new ProcessMonitor();
    expect(() => {
      monitor.countCollections = 'no' as unknown as boolean;
    }).toThrow('countCollections must be true or false, got no');
    expect(monitor.countCollections).toBe(true);
  });

  test('gives the CPU of its window as a percentage of one core', () => {
    const monitor = new ProcessMonitor();
    expect(monitor.cpuPercent(0, 0)).toBeUndefined();
    // Snapshots once a second: 250 ms of CPU a second is 25% of a core.
    for (let second = 0; second <= 11; second++) monitor.tick(second * 250_000, second * 1000);
    // The window keeps 11 snapshots: the oldest is at 1 s, with 250 000 µs of CPU.
    expect(monitor.cpuPercent(11.5 * 250_000, 11_500)).toBe(25);
    // Two cores busy over the last 10.5 s read 200%.
    expect(monitor.cpuPercent(250_000 + 2 * 10_500_000, 11_500)).toBe(200);
    expect(monitor.cpuPercent(250_000, 1000)).toBeUndefined();
  });

  test('observes real collections on Node, and gives CPU use over its window', async () => {
    const monitor = new ProcessMonitor();
    const lease = monitor.acquire();
    // Node delivers gc entries on a later turn of the loop: allocate until some are counted.
    let garbage: object[] = [];
    const minor = () => monitor.gcDurations()!.get('minor')!;
    for (let round = 0; round < 300 && minor().sum === 0; round++) {
      for (let i = 0; i < 20_000; i++) garbage.push({ i });
      garbage = [];
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(Array.from(minor().counts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(minor().sum).toBeGreaterThan(0);
    const { user, system } = process.cpuUsage();
    expect(monitor.cpuPercent(user + system)).toBeGreaterThan(0);
    lease.release();
  });
});
