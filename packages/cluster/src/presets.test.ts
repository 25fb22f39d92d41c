import { catalogOf, presetRegistry } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { ClusterPreset, WorkerThreadsPreset } from './presets.js';

describe('the count presets', () => {
  test('a second copy of the package in the same process imports cleanly: its presets take the names over, as core does for a copy or a hot reload', async () => {
    expect(presetRegistry.get('cluster')).toBe(ClusterPreset);
    const copy = (await import('./presets.js?second-copy' as string)) as typeof import('./presets.js');
    expect(copy.ClusterPreset).not.toBe(ClusterPreset);
    expect([catalogOf(ClusterPreset)[0]!.preset, catalogOf(copy.ClusterPreset)[0]!.preset]).toEqual(['cluster', 'cluster']);
    expect([presetRegistry.get('cluster'), presetRegistry.get('worker-threads')]).toEqual([copy.ClusterPreset, copy.WorkerThreadsPreset]);
  });

  test('the catalog reads the counts: integer gauges counting workers and threads', () => {
    expect(catalogOf(ClusterPreset).map(({ key, type, kind, unit }) => [key, type, kind, unit])).toEqual(
      ['asked', 'answered', 'timed_out', 'died'].map((count) => [`cluster_workers_${count}`, 'integer', 'gauge', 'count']),
    );
    expect(catalogOf(WorkerThreadsPreset).map(({ key }) => key)).toEqual(
      ['asked', 'answered', 'timed_out', 'exited'].map((count) => `worker_threads_${count}`),
    );
  });
});
