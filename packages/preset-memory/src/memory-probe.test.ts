import { Runometer, container } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { openDescriptors } from '../../../test/open-descriptors.js';
import { MemoryPreset } from './memory-preset.js';
import { MemoryProbe } from './memory-probe.js';

const statmDescriptors = () => openDescriptors((path) => path.endsWith('/statm'));

describe.runIf(process.platform === 'linux')('/proc/self/statm', () => {
  test('is kept open while the probe is held, and closed with the last release', () => {
    const probe = new MemoryProbe();
    const before = statmDescriptors();
    const first = probe.acquire();
    const second = probe.acquire();
    expect(probe.procMemory()!.virtual).toBeGreaterThan(0);
    expect(statmDescriptors()).toBe(before + 1);
    first.release();
    expect(statmDescriptors()).toBe(before + 1);
    second.release();
    expect(statmDescriptors()).toBe(before);
  });

  test('read after the last release, it leaves no descriptor open; a second release never takes the count below zero', () => {
    const probe = new MemoryProbe();
    const before = statmDescriptors();
    const lease = probe.acquire();
    lease.release();
    lease.release();
    expect(probe.procMemory()!.virtual).toBeGreaterThan(0);
    expect(statmDescriptors()).toBe(before);
    const next = probe.acquire();
    probe.procMemory();
    expect(statmDescriptors()).toBe(before + 1);
    next.release();
    expect(statmDescriptors()).toBe(before);
  });

  test('a meter closed while its render is in flight leaves no descriptor open', async () => {
    const scoped = container.createChildContainer();
    scoped.register(MemoryProbe, { useValue: new MemoryProbe() });
    const before = statmDescriptors();
    let release!: () => void;
    const meter = new Runometer('node', { container: scoped })
      .addContextBuilder(() => new Promise<void>((resolve) => (release = resolve)), 'slow')
      .use(MemoryPreset);
    const inFlight = meter.collect();
    await meter.close();
    release();
    const snapshot = await inFlight;
    expect(snapshot.points[0]!.fields.map(({ spec }) => spec.key)).toContain('virtual_memory_bytes');
    expect(statmDescriptors()).toBe(before);
  });
});
