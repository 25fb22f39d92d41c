import { Runometer, SharedWork, container } from '@runometer/core';
import { countByType } from '@runometer/runtime';
import { describe, expect, test } from 'vitest';
import { EventLoopMonitor } from './event-loop-monitor.js';
import { ThreadsPreset } from './threads-preset.js';
import { ThreadsProbe, threadpoolSizeFrom } from './threads-probe.js';

const delay = { count: 1000, min: 0.25, max: 52, mean: 1.5, p50: 0.5, p90: 2, p99: 48 };
/** Every delay sampled, in the layout the fake monitor gives: 900 up to 1 ms, 95 up to 100 ms, 5 above. */
const delays = { counts: [900, 95, 5], sum: 2.5 };
const layout = { useDelayBuckets: () => [0.001, 0.1], delays: () => delays };
const delayLines = (measurement: string) => [
  `${measurement},le=0.001 eventloop_delay_seconds_bucket=900i`,
  `${measurement},le=0.1 eventloop_delay_seconds_bucket=995i`,
  `${measurement},le=+Inf eventloop_delay_seconds_bucket=1000i`,
];

type FakeProbe = Omit<Partial<ThreadsProbe>, 'activeResources'> & { activeResources?: () => string[] | undefined };

function withFakes(monitor: Partial<EventLoopMonitor>, { activeResources, ...probe }: FakeProbe) {
  const events: string[] = [];
  const work = (name: string) =>
    new SharedWork(
      () => events.push(`${name} start`),
      () => void events.push(`${name} stop`),
    );
  const sampling = work('monitor');
  const watching = work('probe');
  const scoped = container.createChildContainer();
  scoped.register(EventLoopMonitor, { useValue: { acquire: () => sampling.acquire(), ...monitor } as EventLoopMonitor });
  const byType = () => {
    const types = activeResources?.();
    return types && countByType(types);
  };
  scoped.register(ThreadsProbe, {
    useValue: { acquire: () => watching.acquire(), activeResources: byType, ...probe } as unknown as ThreadsProbe,
  });
  return { scoped, events };
}

const node = {
  monitor: { ...layout, delay: () => delay, loop: () => ({ utilization: 0.25, active: 1500, idle: 4500 }) },
  probe: {
    activeResources: () => [
      'TCPServerWrap',
      'Timeout',
      'Timeout',
      'FSReqCallback',
      'TCPSocketWrap',
      'GetAddrInfoReqWrap',
      'WriteWrap',
      'Immediate',
    ],
    workersAlive: () => 2,
    threadpoolSize: () => 4,
  },
};

describe('ThreadsPreset', () => {
  test("renders the delay in seconds (every sample in the monitor's buckets, and the window), utilization, and the resources the loop waits on, by kind and by type", async () => {
    const { scoped } = withFakes(node.monitor, node.probe);
    expect(await new Runometer('node', { container: scoped }).use(ThreadsPreset).render()).toBe(
      [
        'node eventloop_delay_seconds_sum=2.5,eventloop_delay_seconds_count=1000i,eventloop_delay_min_seconds=0.00025,eventloop_delay_max_seconds=0.052,eventloop_delay_mean_seconds=0.0015,' +
          'eventloop_delay_p50_seconds=0.0005,eventloop_delay_p90_seconds=0.002,eventloop_delay_p99_seconds=0.048,' +
          'eventloop_delay_samples=1000i,eventloop_utilization=0.25,eventloop_active_seconds_total=1.5,eventloop_idle_seconds_total=4.5,' +
          'active_resources=8i,active_handles=3i,active_requests=3i,active_timers=2i,workers_alive=2i,threadpool_size=4i',
        ...delayLines('node'),
        'node,resource_type=FSReqCallback resources=1i',
        'node,resource_type=GetAddrInfoReqWrap resources=1i',
        'node,resource_type=Immediate resources=1i',
        'node,resource_type=TCPServerWrap resources=1i',
        'node,resource_type=TCPSocketWrap resources=1i',
        'node,resource_type=Timeout resources=2i',
        'node,resource_type=WriteWrap resources=1i',
        '',
      ].join('\n'),
    );
  });

  test('leaves out what Bun cannot give: utilization, resources, the libuv pool', async () => {
    const { scoped } = withFakes(
      { ...layout, delay: () => delay, loop: () => undefined },
      { activeResources: () => undefined, workersAlive: () => 0, threadpoolSize: () => undefined },
    );
    expect(await new Runometer('bun', { container: scoped }).use(ThreadsPreset).render()).toBe(
      [
        'bun eventloop_delay_seconds_sum=2.5,eventloop_delay_seconds_count=1000i,eventloop_delay_min_seconds=0.00025,eventloop_delay_max_seconds=0.052,' +
          'eventloop_delay_mean_seconds=0.0015,eventloop_delay_p50_seconds=0.0005,eventloop_delay_p90_seconds=0.002,eventloop_delay_p99_seconds=0.048,' +
          'eventloop_delay_samples=1000i,workers_alive=0i',
        ...delayLines('bun'),
        '',
      ].join('\n'),
    );
  });

  test('reports no delay before the first sample or for an interval without samples, rather than a zero', async () => {
    const { scoped } = withFakes(
      { ...node.monitor, delay: () => undefined, delays: () => undefined },
      { ...node.probe, activeResources: () => [] },
    );
    expect(await new Runometer('node', { container: scoped }).use(ThreadsPreset).render()).toBe(
      'node eventloop_utilization=0.25,eventloop_active_seconds_total=1.5,eventloop_idle_seconds_total=4.5,active_resources=0i,' +
        'active_handles=0i,active_requests=0i,active_timers=0i,workers_alive=2i,threadpool_size=4i\n',
    );
  });

  test('starts the monitor with the first meter and stops it with the last; a meter closed twice releases once', async () => {
    const { scoped, events } = withFakes(node.monitor, node.probe);
    const first = new Runometer('node', { container: scoped }).use(ThreadsPreset);
    const second = new Runometer('node', { container: scoped }).use(ThreadsPreset);
    await first.close();
    await first.close();
    expect(events).toEqual(['monitor start', 'probe start']);
    await second.close();
    expect(events).toEqual(['monitor start', 'probe start', 'monitor stop', 'probe stop']);
  });
});

describe('ThreadsProbe on this Node process', () => {
  test('counts worker threads alive', async () => {
    const { Worker } = await import('node:worker_threads');
    const probe = new ThreadsProbe();
    const lease = probe.acquire();
    const worker = new Worker('setTimeout(() => {}, 200)', { eval: true });
    await new Promise((resolve) => worker.once('online', resolve));
    expect(probe.workersAlive()).toBe(1);
    await worker.terminate();
    expect(probe.workersAlive()).toBe(0);
    lease.release();
  });

  test.each([
    [undefined, 4],
    ['8', 8],
    ['0', 1],
    ['5000', 1024],
    ['many', 4],
  ])('reads UV_THREADPOOL_SIZE=%s as a pool of %i, as libuv does', (setting, size) => {
    expect(threadpoolSizeFrom(setting)).toBe(size);
  });
});
