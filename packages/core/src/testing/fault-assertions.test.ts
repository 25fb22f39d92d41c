import { describe, expect, test } from 'vitest';
import { decoratorsFor, preset } from '../preset/decorators.js';
import { inject, injectable } from '../preset/di.js';
import { RenderError } from '../model/errors.js';
import { assertFaultIsolated } from './fault-assertions.js';
import { renderPreset, type PresetRendering } from './render-preset.js';

/** What the preset reads; each reading throws when its name is in `failing`. */
@injectable()
class Gauges {
  constructor(readonly failing: readonly string[] = []) {}

  read(name: string): number {
    if (this.failing.includes(name)) throw new Error(`${name} is broken`);
    return name.length;
  }
}

const { contextBuilder, field } = decoratorsFor<{ shared: number }>();

@preset('kit-gauges')
class GaugesPreset {
  constructor(@inject(Gauges) private readonly gauges: Gauges) {}

  @contextBuilder()
  shared() {
    return { shared: this.gauges.read('shared') };
  }

  @field('from_builder')
  fromBuilder(ctx: { shared: number }) {
    return ctx.shared;
  }

  @field('alone')
  alone() {
    return this.gauges.read('alone');
  }

  @field('other')
  other() {
    return this.gauges.read('other');
  }
}

const renderWith = (...failing: string[]) => renderPreset(GaugesPreset, { inject: [[Gauges, new Gauges(failing)]] });

describe('assertFaultIsolated', () => {
  test('passes when a throwing field is left out and reported, and the others render', async () => {
    const healthy = await renderWith();
    expect(healthy.bodies).toEqual(['test from_builder=6,alone=5,other=5\n']);
    const faulty = await renderWith('alone');
    expect(faulty.bodies).toEqual(['test from_builder=6,other=5\n']);
    expect(() => assertFaultIsolated(faulty, healthy, 'alone')).not.toThrow();
  });

  test('passes when a throwing builder takes out only the fields that read it, each reported', async () => {
    const faulty = await renderWith('shared');
    expect(faulty.bodies).toEqual(['test alone=5,other=5\n']);
    const healthy = await renderWith();
    expect(() => assertFaultIsolated(faulty, healthy, 'kit-gauges.shared')).not.toThrow();
  });

  test('fails when no fault names the key', async () => {
    const healthy = await renderWith();
    expect(() => assertFaultIsolated(healthy, healthy, 'alone')).toThrow('no fault names "alone"; reported: none');
    const faulty = await renderWith('other');
    expect(() => assertFaultIsolated(faulty, healthy, 'alone')).toThrow(
      'no fault names "alone"; reported: field "other": field "other" threw: other is broken',
    );
  });

  test('fails when the fault took out other fields without a fault naming them', async () => {
    const healthy = await renderWith();
    const faulty = await renderWith('alone');
    // What a render that dropped the whole line would give: the fault reported, no field written.
    const wholeLineLost: PresetRendering = { ...faulty, snapshots: [{ measurement: 'test', points: [] }], bodies: [''] };
    expect(() => assertFaultIsolated(wholeLineLost, healthy, 'alone')).toThrow(
      'the fault of "alone" also took out field "from_builder", "other", with no fault naming them',
    );
  });

  test("names a series' field the fault took out, and accepts it once a fault names its series", () => {
    const depth = { spec: { key: 'depth', escapedKey: 'depth', type: 'integer', kind: 'gauge' }, value: 1 } as const;
    const healthy: PresetRendering = {
      snapshots: [{ measurement: 'm', points: [{ series: 'queues', tags: [], fields: [depth] }] }],
      bodies: ['m depth=1i\n'],
      errors: [],
    };
    const lost = (...keys: string[]): PresetRendering => ({
      snapshots: [{ measurement: 'm', points: [] }],
      bodies: [''],
      errors: keys.map((key) => new RenderError('builder', key, 'threw', 'threw: down')),
    });
    expect(() => assertFaultIsolated(lost('b'), healthy, 'b')).toThrow(
      'the fault of "b" also took out field "depth" of series "queues", with no fault naming them',
    );
    expect(() => assertFaultIsolated(lost('b', 'queues'), healthy, 'b')).not.toThrow();
  });
});
