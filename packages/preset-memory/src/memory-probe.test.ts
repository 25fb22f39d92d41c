import { Runometer, container } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { openDescriptors } from '../../../test/open-descriptors.js';
import { MemoryPreset } from './memory-preset.js';
import { MemoryProbe, arrayBuffersCountBuffers } from './memory-probe.js';

const statmDescriptors = () => openDescriptors((path) => path.endsWith('/statm'));

describe('array buffers', () => {
  test('count Buffers where a 1 MiB Buffer.alloc makes them grow by it, as on Node', () => {
    expect(arrayBuffersCountBuffers()).toBe(true);
    let counted = 0;
    expect(arrayBuffersCountBuffers(() => (counted += 1 << 20))).toBe(true);
  });

  test('do not where they stay still (Bun counts only new ArrayBuffer, Deno reports 0), even when asked twice', () => {
    let readings = 0;
    expect(
      arrayBuffersCountBuffers(() => {
        readings++;
        return 5000;
      }),
    ).toBe(false);
    expect(readings).toBe(4);
  });
});

describe.runIf(process.platform === 'linux')('/proc/self/statm', () => {
  test('is kept open while the probe is held, and closed with the last release', () => {
    const probe = new MemoryProbe();
    const before = statmDescriptors();
    probe.acquire();
    probe.acquire();
    expect(probe.procMemory()!.virtual).toBeGreaterThan(0);
    expect(statmDescriptors()).toBe(before + 1);
    probe.release();
    expect(statmDescriptors()).toBe(before + 1);
    probe.release();
    expect(statmDescriptors()).toBe(before);
  });

  test('read after the last release, it leaves no descriptor open; a second release never takes the count below zero', () => {
    const probe = new MemoryProbe();
    const before = statmDescriptors();
    probe.acquire();
    probe.release();
    probe.release();
    expect(probe.procMemory()!.virtual).toBeGreaterThan(0);
    expect(statmDescriptors()).toBe(before);
    probe.acquire();
    probe.procMemory();
    expect(statmDescriptors()).toBe(before + 1);
    probe.release();
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
