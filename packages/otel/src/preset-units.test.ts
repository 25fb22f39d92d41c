import { Runometer, decoratorsFor, preset } from '@runometer/core';
import { expect, test } from 'vitest';
import { PresetUnits } from './preset-units.js';

const { field } = decoratorsFor<object>();

@preset('otel-test-queues')
class QueuesPreset {
  @field('queue_depth', { type: 'integer', unit: 'count' })
  depth(): number {
    return 12;
  }

  @field('queue_wait_seconds', { unit: 'seconds' })
  wait(): number {
    return 0.5;
  }
}

@preset('otel-test-disk')
class DiskPreset {
  @field('disk_free_bytes', { type: 'integer', unit: 'bytes' })
  free(): number {
    return 1024;
  }
}

test("a meter's fields take the units their presets declare, presets used later included", () => {
  const meter = new Runometer('app').use(QueuesPreset).addField('own', () => 1, { unit: 'seconds' });
  const units = new PresetUnits(meter);
  expect(['queue_depth', 'queue_wait_seconds', 'disk_free_bytes', 'own'].map((key) => units.unitOf(key))).toEqual([
    'count',
    'seconds',
    undefined,
    undefined,
  ]);
  meter.use(DiskPreset);
  expect(units.unitOf('disk_free_bytes')).toBe('bytes');
});

test('a source that is no meter names no presets: its fields have no unit', () => {
  expect(new PresetUnits({ collect: async () => [] }).unitOf('queue_depth')).toBeUndefined();
});
