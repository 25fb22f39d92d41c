import fc from '../../../../test/fast-check.js';
import { describe, expect, test, vi } from 'vitest';
import type { FieldType, FieldValue } from '../model/field-types.js';
import { toJson } from './json.js';
import { Runometer } from '../runometer.js';
import type { FieldSample, Point, Snapshot } from '../model/snapshot.js';

describe('toJson', () => {
  test('writes integers beyond 2^53 as strings, and the timestamp when the meter stamps', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
    const meter = new Runometer('m', { timestamps: true })
      .addField('big', () => 2n ** 60n, { type: 'integer' })
      .addField('small', () => 5n, { type: 'integer' });
    const body = JSON.parse(toJson(await meter.collect()));
    vi.useRealTimers();
    expect(body).toEqual({
      measurement: 'm',
      timestamp: '1700000000000000000',
      points: [{ tags: {}, fields: { big: '1152921504606846976', small: 5 } }],
    });
  });

  test('several snapshots give an array of their objects, in order', async () => {
    const app = new Runometer('app').addField('n', () => 1, { type: 'integer' });
    const db = new Runometer('db').addTag('role', 'primary').addField('n', () => 2.5);
    expect(JSON.parse(toJson([await app.collect(), await db.collect()]))).toEqual([
      { measurement: 'app', points: [{ tags: {}, fields: { n: 1 } }] },
      { measurement: 'db', points: [{ tags: { role: 'primary' }, fields: { n: 2.5 } }] },
    ]);
    expect(toJson([])).toBe('[]');
  });
});

/** The object the body describes, as `JSON.stringify` writes it: the definition `toJson` writes faster. */
function asObject(snapshot: Snapshot) {
  return {
    measurement: snapshot.measurement,
    ...(snapshot.timestamp === undefined ? {} : { timestamp: String(snapshot.timestamp) }),
    points: snapshot.points.map((point) => ({
      ...(point.series === undefined ? {} : { series: point.series }),
      tags: Object.fromEntries(point.tags.map(({ key, value }) => [key, value])),
      fields: Object.fromEntries(
        point.fields.map(({ spec, value }) => [
          spec.key,
          typeof value !== 'bigint'
            ? value
            : Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === value
              ? Number(value)
              : String(value),
        ]),
      ),
    })),
  };
}

// Keys an object reorders (array indices), repeats (the object keeps the last value, at the first place),
// and characters JSON escapes, among ordinary ones.
const key = fc.oneof(
  fc.constantFrom(
    'a',
    'b',
    'rss',
    '0',
    '7',
    '10',
    '4294967294',
    '4294967295',
    '01',
    '-1',
    '__proto__',
    'a"b',
    'back\\slash',
    'é 𝄞',
    'line\nbreak',
    '\u2028',
  ),
  fc.string({ maxLength: 6 }),
);
const sample: fc.Arbitrary<FieldSample> = fc
  .oneof(
    fc.tuple(fc.constant<FieldType>('float'), fc.double({ noNaN: true, noDefaultInfinity: true })),
    fc.tuple(fc.constant<FieldType>('integer'), fc.oneof(fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))),
    fc.tuple(fc.constant<FieldType>('string'), fc.string({ unit: 'grapheme', maxLength: 8 })),
    fc.tuple(fc.constant<FieldType>('boolean'), fc.boolean()),
  )
  .chain(([type, value]) =>
    key.map((k) => ({ spec: { key: k, escapedKey: k, type, kind: 'gauge' as const }, value: value as FieldValue })),
  );
const point: fc.Arbitrary<Point> = fc.record(
  {
    series: fc.string({ maxLength: 4 }),
    tags: fc.array(fc.record({ key, value: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }) }), { maxLength: 4 }),
    fields: fc.array(sample, { minLength: 1, maxLength: 5 }),
  },
  { requiredKeys: ['tags', 'fields'] },
);
const snapshot: fc.Arbitrary<Snapshot> = fc.record(
  {
    measurement: fc.string({ maxLength: 6 }),
    timestamp: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
    points: fc.array(point, { maxLength: 4 }),
  },
  { requiredKeys: ['measurement', 'points'] },
);

describe('toJson writes the bytes JSON.stringify gives the object it describes', () => {
  test('for any snapshot, and any list of them', () => {
    fc.assert(
      fc.property(snapshot, fc.array(snapshot, { maxLength: 3 }), (one, several) => {
        expect(toJson(one)).toBe(JSON.stringify(asObject(one)));
        expect(toJson(several)).toBe(JSON.stringify(several.map(asObject)));
      }),
      { numRuns: 2000 },
    );
  });
});
