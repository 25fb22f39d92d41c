import { HistogramRecorder, Runometer, toLineProtocol, toPrometheusProtobuf, type Snapshot } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { tagsOf } from './tags.js';
import { decodeAnswer, knownSpecs } from './decode-answer.js';
import { SpecTable, type WireAnswer } from './wire.js';

const meter = () =>
  new Runometer('app', { timestamps: true })
    .addTag('app', 'a')
    .addTag('zone', 'z')
    .addField('ratio', () => -0, { help: 'A ratio.' })
    .addField('big', () => 2n ** 62n, { type: 'integer', kind: 'counter' })
    .addField('label', () => 'x', { type: 'string' })
    .addField('up', () => false, { type: 'boolean' })
    .addSeries('queues', () => [{ tags: { queue: 'q' }, fields: { depth: 2 } }], {
      tags: ['queue'],
      fields: { depth: { type: 'integer' } },
    });

// What a transport does to a message: node:cluster's channel is JSON.
const overJson = (answer: WireAnswer): WireAnswer => JSON.parse(JSON.stringify(answer));
const extra = tagsOf({ pid: '42', worker: '3' });

describe('the wire format', () => {
  test('a snapshot comes back as it was, with the extra tags merged in key order, over JSON', async () => {
    const snapshot = await meter().collect();
    const decoded = decodeAnswer(overJson(new SpecTable().answer([snapshot], null, 0)), knownSpecs(), extra);
    const expected: Snapshot = {
      ...snapshot,
      points: snapshot.points.map((point) => ({
        ...point,
        tags: [...point.tags.slice(0, 1), ...extra, ...point.tags.slice(1)].sort((a, b) => (a.key < b.key ? -1 : 1)),
        fields: point.fields.map(({ spec, value }) => ({
          spec: { key: spec.key, escapedKey: spec.escapedKey, type: spec.type, kind: spec.kind, ...(spec.help ? { help: spec.help } : {}) },
          value,
        })),
      })),
    };
    expect(decoded).toEqual([expected]);
    expect(Object.is(decoded[0]!.points[0]!.fields[0]!.value, -0)).toBe(true);
    expect(decoded[0]!.timestamp).toBe(snapshot.timestamp);
  });

  test('a histogram travels as [sum, counts…] with its buckets in its spec, and renders as it did in the worker', async () => {
    const worker = new Runometer('app')
      .addTag('app', 'a')
      .addField('wait_seconds', () => ({ counts: new Float64Array([1, 0, 2]), sum: 4.5 }), {
        kind: 'histogram',
        buckets: [0.5, 1],
        unit: 'seconds',
      });
    const snapshot = await worker.collect();
    const answer = new SpecTable().answer([snapshot], null, 0);
    expect(answer.specs).toEqual([{ key: 'wait_seconds', type: 'float', kind: 'histogram', unit: 'seconds', buckets: [0.5, 1] }]);
    expect(answer.snapshots[0]![2]).toEqual([[null, ['app', 'a'], [0, [4.5, 1, 0, 2]]]]);
    const decoded = decodeAnswer(overJson(answer), knownSpecs(), extra);
    expect(decoded[0]!.points[0]!.fields[0]!.spec.unit).toBe('seconds');
    expect(toLineProtocol(decoded)).toBe(
      'app,app=a,pid=42,worker=3 wait_seconds_sum=4.5,wait_seconds_count=3i\n' +
        'app,app=a,le=0.5,pid=42,worker=3 wait_seconds_bucket=1i\n' +
        'app,app=a,le=1.0,pid=42,worker=3 wait_seconds_bucket=1i\n' +
        'app,app=a,le=+Inf,pid=42,worker=3 wait_seconds_bucket=3i\n',
    );
  });

  test('native buckets travel after the classic ones, trimmed of zeros at both ends, and render as they did in the worker', async () => {
    const durations = new HistogramRecorder([0.5, 1], { schema: 0 });
    for (const value of [0.3, 0.3, 3]) durations.record(value);
    const worker = new Runometer('app').addField('wait_seconds', () => durations.snapshot(), {
      kind: 'histogram',
      buckets: [0.5, 1],
      native: { schema: 0 },
    });
    const snapshot = await worker.collect();
    const answer = new SpecTable().answer([snapshot], null, 0);
    expect(answer.specs).toEqual([
      { key: 'wait_seconds', type: 'float', kind: 'histogram', buckets: [0.5, 1], native: { schema: 0, zeroThreshold: 2 ** -128 } },
    ]);
    // Schema 0: 0.3 is in bucket -1, (0.25, 0.5]; 3 in bucket 2, (2, 4].
    expect(answer.snapshots[0]![2]).toEqual([[null, [], [0, [3.6, 2, 0, 1, 0, -1, 2, 0, 0, 1]]]]);
    const decoded = decodeAnswer(overJson(answer), knownSpecs(), extra);
    const [spec] = decoded[0]!.points[0]!.fields.map((field) => field.spec);
    expect([spec!.native, Object.isFrozen(spec)]).toEqual([{ schema: 0, zeroThreshold: 2 ** -128 }, true]);
    const withTags = await new Runometer('app')
      .addTag('pid', '42')
      .addTag('worker', '3')
      .addField('wait_seconds', () => durations.snapshot(), {
        kind: 'histogram',
        buckets: [0.5, 1],
        native: { schema: 0 },
      })
      .collect();
    expect(toPrometheusProtobuf(decoded)).toEqual(toPrometheusProtobuf([withTags]));
  });

  test.each([
    [
      'a native layout without buckets',
      { key: 'k', type: 'float', kind: 'gauge', native: { schema: 3 } },
      [0, 1],
      'spec "k" is a gauge with a native layout',
    ],
    [
      'a schema Prometheus does not take',
      { key: 'k', type: 'float', kind: 'histogram', buckets: [1], native: { schema: 9 } },
      [0, [1, 1, 0]],
      'native schema number 9',
    ],
    [
      'native counts that miscount',
      { key: 'k', type: 'float', kind: 'histogram', buckets: [1], native: { schema: 0 } },
      [0, [1, 1, 0, 0, 0, 2]],
      'native buckets count 2 observations',
    ],
    [
      'native buckets its spec does not declare',
      { key: 'k', type: 'float', kind: 'histogram', buckets: [1] },
      [0, [1, 1, 0, 0, 0, 1]],
      'declares no native layout',
    ],
  ])('refuses %s, naming it', (_, spec, field, message) => {
    const answer = { reporter: 'r', firstSpec: 0, specs: [spec], snapshots: [['m', null, [[null, [], field]]]] } as unknown as WireAnswer;
    expect(() => decodeAnswer(answer, knownSpecs(), extra)).toThrow(message);
  });

  test('specs travel once per reporter: the next answer carries only new ones, and the aggregator keeps them', async () => {
    const source = meter();
    const table = new SpecTable();
    const known = knownSpecs();
    const first = table.answer([await source.collect()], known.reporter, known.specs.length);
    expect(first.specs.map((spec) => spec.key)).toEqual(['ratio', 'big', 'label', 'up', 'depth']);
    decodeAnswer(first, known, extra);
    source.addField('later', () => 1);
    const second = table.answer([await source.collect()], known.reporter, known.specs.length);
    expect([second.firstSpec, second.specs.map((spec) => spec.key)]).toEqual([5, ['later']]);
    expect(decodeAnswer(second, known, extra)[0]!.points[0]!.fields.map(({ spec }) => spec.key)).toEqual([
      'ratio',
      'big',
      'label',
      'up',
      'later',
    ]);
    // An aggregator that knows another reporter (a restarted one) gets every spec again.
    expect(new SpecTable().answer([await source.collect()], known.reporter, known.specs.length).firstSpec).toBe(0);
  });

  test('a source that makes new spec objects at every collect does not grow the table', () => {
    const table = new SpecTable();
    const snapshot = (): Snapshot => ({
      measurement: 'm',
      points: [{ tags: [], fields: [{ spec: { key: 'k', escapedKey: 'k', type: 'float', kind: 'gauge' }, value: 1 }] }],
    });
    table.answer([snapshot()], null, 0);
    const again = table.answer([snapshot()], table.reporter, 1);
    expect([again.firstSpec, again.specs]).toEqual([1, []]);
  });

  test('an extra tag replaces a tag of the same key from the reporter', () => {
    const answer: WireAnswer = {
      reporter: 'r',
      firstSpec: 0,
      specs: [{ key: 'k', type: 'float', kind: 'gauge' }],
      snapshots: [['m', null, [[null, ['a', 'b', 'worker', 'fake'], [0, 1]]]]],
    };
    expect(decodeAnswer(answer, knownSpecs(), extra)[0]!.points[0]!.tags).toEqual([{ key: 'a', value: 'b' }, ...extra]);
  });

  test.each([
    [
      'a value its type does not allow',
      { snapshots: [['m', null, [[null, [], [0, 'NaN']]]]] },
      'field "k" has a value its type (float) does not allow',
    ],
    [
      'an integer beyond int64',
      { specs: [{ key: 'k', type: 'integer', kind: 'gauge' }], snapshots: [['m', null, [[null, [], [0, '9223372036854775808']]]]] },
      'does not allow',
    ],
    ['a spec index that was never sent', { snapshots: [['m', null, [[null, [], [7, 1]]]]] }, 'unknown spec 7'],
    ['specs that do not follow those held', { firstSpec: 3 }, 'specs from 3, where 0 are held'],
    ['an unknown type', { specs: [{ key: 'k', type: 'decimal', kind: 'gauge' }] }, 'no known type or kind'],
    ['a tag that is not a string', { snapshots: [['m', null, [[null, ['a', 1], [0, 1]]]]] }, 'a tag that is not two strings'],
    ['a timestamp that is not an integer', { snapshots: [['m', '1.5', [[null, [], [0, 1]]]]] }, 'a timestamp that is not an integer'],
    ['no snapshots list', { snapshots: null }, 'not an answer'],
  ])('refuses %s, naming it, and keeps what it held', (_, change, message) => {
    const answer = {
      reporter: 'r',
      firstSpec: 0,
      specs: [{ key: 'k', type: 'float', kind: 'gauge' }],
      snapshots: [],
      ...change,
    } as unknown as WireAnswer;
    const known = knownSpecs();
    expect(() => decodeAnswer(answer, known, extra)).toThrow(message);
    expect(known).toEqual(knownSpecs());
  });

  test('tag values are normalised as core normalises them, and one left empty is dropped', () => {
    const answer: WireAnswer = {
      reporter: 'r',
      firstSpec: 0,
      specs: [{ key: 'k', type: 'float', kind: 'gauge' }],
      snapshots: [['m', null, [[null, ['a', 'x\ny', 'b', '\\'], [0, 1]]]]],
    };
    expect(decodeAnswer(answer, knownSpecs(), [])[0]!.points[0]!.tags).toEqual([{ key: 'a', value: 'x y' }]);
  });
});
