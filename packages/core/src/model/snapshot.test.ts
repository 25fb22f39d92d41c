import { describe, expect, expectTypeOf, test } from 'vitest';
import { Runometer } from '../runometer.js';
import { snapshotsOf, type Snapshot, type SnapshotSource } from './snapshot.js';

describe('SnapshotSource', () => {
  test('a Runometer is one, named by its measurement and open until closed', async () => {
    expectTypeOf<Runometer<{ n: number }>>().toExtend<SnapshotSource>();
    const meter = new Runometer('m');
    const source: SnapshotSource = meter;
    expect([source.name, source.closed]).toEqual(['m', false]);
    await meter.close();
    expect(source.closed).toBe(true);
  });

  test('what it yields, one snapshot or several, reads as a list', () => {
    const one: Snapshot = { measurement: 'a', points: [] };
    const two: Snapshot = { measurement: 'b', points: [] };
    expect(snapshotsOf(one)).toEqual([one]);
    expect(snapshotsOf([one, two])).toEqual([one, two]);
  });
});
