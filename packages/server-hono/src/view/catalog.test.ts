import { decoratorsFor, preset, Runometer, type Snapshot } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { installedCatalog, viewFields } from './catalog.js';

const { field, series } = decoratorsFor<object>();

@preset('view-catalog-queues')
class QueuePreset {
  @field('broker_uptime_seconds', { unit: 'seconds', help: 'Time since the broker started.' })
  uptime() {
    return 5;
  }

  @series('queues', { tags: ['queue'], fields: { depth: { type: 'integer', unit: 'count', help: 'Messages waiting.' } } })
  queues() {
    return [
      { tags: { queue: 'mail' }, fields: { depth: 3 } },
      { tags: { queue: 'sms' }, fields: { depth: 1 } },
    ];
  }
}

const meter = () =>
  new Runometer('app')
    .addTag('host', 'h1')
    .use(QueuePreset)
    .addField('version', () => '1.2', { type: 'string', help: 'The app version.' })
    .addField('requests', () => 7, { type: 'integer', kind: 'counter' });

const EXPECTED = [
  {
    key: 'broker_uptime_seconds',
    preset: 'view-catalog-queues',
    type: 'float',
    kind: 'gauge',
    unit: 'seconds',
    help: 'Time since the broker started.',
  },
  { key: 'version', type: 'string', kind: 'gauge', help: 'The app version.' },
  { key: 'requests', type: 'integer', kind: 'counter' },
  {
    series: 'queues',
    key: 'depth',
    preset: 'view-catalog-queues',
    type: 'integer',
    kind: 'gauge',
    unit: 'count',
    help: 'Messages waiting.',
  },
];

describe('viewFields', () => {
  test("a meter's fields in render order, each once: preset and unit from the installed presets' catalog, the meter's own without", async () => {
    const source = meter();
    expect(viewFields(await source.collect())).toEqual(EXPECTED);
    await source.close();
  });

  test("an aggregate's snapshots (one per worker, as @runometer/cluster's) give each field once", async () => {
    const [primary, worker] = [meter().addTag('worker', 'primary'), meter().addTag('worker', '1')];
    const snapshots: Snapshot[] = await Promise.all([primary.collect(), worker.collect()]);
    expect(viewFields(snapshots)).toEqual(EXPECTED);
    await Promise.all([primary.close(), worker.close()]);
  });

  test('a field no installed preset declares is described by its spec alone', async () => {
    const source = meter();
    expect(viewFields(await source.collect(), new Map())).toEqual(EXPECTED.map(({ preset: _preset, unit: _unit, ...spec }) => spec));
    await source.close();
  });

  test('the installed catalog holds every registered preset, by series and key', () => {
    const catalog = installedCatalog();
    expect(catalog.get('\u0000broker_uptime_seconds')?.preset).toBe('view-catalog-queues');
    expect(catalog.get('queues\u0000depth')?.unit).toBe('count');
    expect(catalog.has('\u0000depth')).toBe(false);
  });
});
