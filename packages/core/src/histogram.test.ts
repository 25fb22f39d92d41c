import { describe, expect, test } from 'vitest';
import {
  HistogramRecorder,
  Runometer,
  catalogOf,
  field,
  preset,
  series,
  toJson,
  toLineProtocol,
  toOpenMetrics,
  toPrometheus,
  type NativeCopy,
  type RenderError,
} from './index.js';
import { canonicalNumber } from './model/histogram.js';
import { assertValidOpenMetrics, assertValidPrometheus, assertValidLineProtocol } from './testing/index.js';

const BOUNDS = [0.005, 0.01, 0.1, 1];

function recorded(...values: number[]): HistogramRecorder {
  const recorder = new HistogramRecorder(BOUNDS);
  for (const value of values) recorder.record(value);
  return recorder;
}

function meter(): Runometer {
  const durations = recorded(0.003, 0.005, 0.02, 0.02, 0.5, 3);
  return new Runometer('app')
    .addTag('host', 'h1')
    .addField('requests', () => 6, { type: 'integer', kind: 'counter' })
    .addField('duration_seconds', () => durations.snapshot(), {
      kind: 'histogram',
      buckets: durations.bounds,
      help: 'Request duration, in seconds.',
    });
}

describe('a histogram field', () => {
  test('line protocol: sum and count on the point, then a line per bucket with the tag le, cumulative, +Inf last', async () => {
    expect(await meter().render()).toBe(
      'app,host=h1 requests=6i,duration_seconds_sum=3.548,duration_seconds_count=6i\n' +
        'app,host=h1,le=0.005 duration_seconds_bucket=2i\n' +
        'app,host=h1,le=0.01 duration_seconds_bucket=2i\n' +
        'app,host=h1,le=0.1 duration_seconds_bucket=4i\n' +
        'app,host=h1,le=1.0 duration_seconds_bucket=5i\n' +
        'app,host=h1,le=+Inf duration_seconds_bucket=6i\n',
    );
  });

  test('le goes among the tags in key order, and the bucket lines carry the timestamp', async () => {
    const m = new Runometer('m', { timestamps: true })
      .addTag('a', 'x')
      .addTag('z', 'y')
      .addField('h', () => ({ counts: [1, 0], sum: 0.5 }), { kind: 'histogram', buckets: [1] });
    const snapshot = await m.collect();
    const t = String(snapshot.timestamp);
    expect(toLineProtocol(snapshot)).toBe(
      `m,a=x,z=y h_sum=0.5,h_count=1i ${t}\nm,a=x,le=1.0,z=y h_bucket=1i ${t}\nm,a=x,le=+Inf,z=y h_bucket=1i ${t}\n`,
    );
    assertValidLineProtocol(toLineProtocol(snapshot));
  });

  test('Prometheus text: a histogram family, _bucket with le, +Inf, _sum and _count', async () => {
    const body = toPrometheus(await meter().collect());
    expect(body).toBe(
      '# HELP app_requests_total requests of app\n# TYPE app_requests_total counter\napp_requests_total{host="h1"} 6\n' +
        '# HELP app_duration_seconds Request duration, in seconds.\n# TYPE app_duration_seconds histogram\n' +
        'app_duration_seconds_bucket{host="h1",le="0.005"} 2\n' +
        'app_duration_seconds_bucket{host="h1",le="0.01"} 2\n' +
        'app_duration_seconds_bucket{host="h1",le="0.1"} 4\n' +
        'app_duration_seconds_bucket{host="h1",le="1.0"} 5\n' +
        'app_duration_seconds_bucket{host="h1",le="+Inf"} 6\n' +
        'app_duration_seconds_sum{host="h1"} 3.548\n' +
        'app_duration_seconds_count{host="h1"} 6\n',
    );
    assertValidPrometheus(body);
  });

  test('OpenMetrics: the same family, ended by # EOF; a point without tags has le alone', async () => {
    const m = new Runometer('m').addField('h', () => ({ counts: [0, 2], sum: 7 }), { kind: 'histogram', buckets: [2.5] });
    const body = toOpenMetrics(await m.collect());
    expect(body).toBe(
      '# HELP m_h h of m\n# TYPE m_h histogram\nm_h_bucket{le="2.5"} 0\nm_h_bucket{le="+Inf"} 2\nm_h_sum 7\nm_h_count 2\n# EOF\n',
    );
    assertValidOpenMetrics(body);
  });

  test('JSON: the bounds as le, the buckets cumulative (the last is +Inf), sum and count', async () => {
    expect(JSON.parse(toJson(await meter().collect())).points[0].fields.duration_seconds).toEqual({
      le: [0.005, 0.01, 0.1, 1],
      buckets: [2, 2, 4, 5, 6],
      sum: 3.548,
      count: 6,
    });
    expect(
      toJson(await new Runometer('m').addField('h', () => ({ counts: [1, 2], sum: 1 }), { kind: 'histogram', buckets: [1] }).collect()),
    ).toBe('{"measurement":"m","points":[{"tags":{},"fields":{"h":{"le":[1],"buckets":[1,3],"sum":1,"count":3}}}]}');
  });

  test('a series field: one family, a label set per row, each row its own bucket lines', async () => {
    const m = new Runometer('m').addSeries(
      'routes',
      () => [
        { tags: { route: '/a' }, fields: { d: { counts: [1, 0], sum: 0.25 } } },
        { tags: { route: '/b' }, fields: { d: { counts: [0, 1], sum: 2 } } },
      ],
      { tags: ['route'], fields: { d: { kind: 'histogram', buckets: [1] } } },
    );
    const snapshot = await m.collect();
    expect(toLineProtocol(snapshot)).toBe(
      'm,route=/a d_sum=0.25,d_count=1i\nm,le=1.0,route=/a d_bucket=1i\nm,le=+Inf,route=/a d_bucket=1i\n' +
        'm,route=/b d_sum=2,d_count=1i\nm,le=1.0,route=/b d_bucket=0i\nm,le=+Inf,route=/b d_bucket=1i\n',
    );
    expect(toPrometheus(snapshot)).toBe(
      '# HELP m_d d of m\n# TYPE m_d histogram\n' +
        'm_d_bucket{route="/a",le="1.0"} 1\nm_d_bucket{route="/a",le="+Inf"} 1\nm_d_sum{route="/a"} 0.25\nm_d_count{route="/a"} 1\n' +
        'm_d_bucket{route="/b",le="1.0"} 0\nm_d_bucket{route="/b",le="+Inf"} 1\nm_d_sum{route="/b"} 2\nm_d_count{route="/b"} 1\n',
    );
  });

  test('two snapshots of one measurement make one family; a gauge whose name a histogram takes is left out', async () => {
    const h = (worker: string) =>
      new Runometer('m').addTag('worker', worker).addField('h', () => ({ counts: [1, 1], sum: 3 }), { kind: 'histogram', buckets: [1] });
    const other = new Runometer('m_h').addField('sum', () => 9);
    const body = toOpenMetrics([await h('1').collect(), await other.collect(), await h('2').collect()]);
    expect(body).toBe(
      '# HELP m_h h of m\n# TYPE m_h histogram\n' +
        'm_h_bucket{worker="1",le="1.0"} 1\nm_h_bucket{worker="1",le="+Inf"} 2\nm_h_sum{worker="1"} 3\nm_h_count{worker="1"} 2\n' +
        'm_h_bucket{worker="2",le="1.0"} 1\nm_h_bucket{worker="2",le="+Inf"} 2\nm_h_sum{worker="2"} 3\nm_h_count{worker="2"} 2\n# EOF\n',
    );
    assertValidOpenMetrics(body);
  });

  test('a value that does not fit its layout is left out and reported', async () => {
    const errors: RenderError[] = [];
    const m = new Runometer('m', { onError: (error) => errors.push(error) })
      .addField('ok', () => 1)
      .addField('short', () => ({ counts: [1], sum: 1 }), { kind: 'histogram', buckets: [1] })
      .addField('negative', () => ({ counts: [1, -1], sum: 1 }), { kind: 'histogram', buckets: [1] })
      .addField('nosum', () => ({ counts: [1, 1], sum: Number.NaN }), { kind: 'histogram', buckets: [1] })
      .addField('number', () => 5 as never, { kind: 'histogram', buckets: [1] });
    expect(await m.render()).toBe('m ok=1\n');
    expect(errors.map((error) => `${error.key}: ${error.message}`)).toEqual([
      'short: field "short" gave an invalid value: histogram counts must have 2 entries (one per bound, and one above the last), got 1',
      'negative: field "negative" gave an invalid value: histogram count number -1 at index 1 is not a whole number, 0 or more',
      'nosum: field "nosum" gave an invalid value: histogram sum must be a finite number, 0 or more, got number NaN',
      'number: field "number" gave an invalid value: expected a histogram ({ counts, sum }), got number 5',
    ]);
  });
});

describe('registration', () => {
  test.each([
    [
      () => new Runometer('m').addField('h', () => undefined, { kind: 'histogram' }),
      'histogram field "h" needs buckets: a non-empty array of upper bounds, e.g. [0.005, 0.01, 0.025], got undefined',
    ],
    [
      () => new Runometer('m').addField('h', () => undefined, { kind: 'histogram', buckets: [] }),
      'histogram field "h" needs buckets: a non-empty array of upper bounds, e.g. [0.005, 0.01, 0.025], got an empty array',
    ],
    [
      () => new Runometer('m').addField('h', () => undefined, { kind: 'histogram', buckets: [1, Infinity] }),
      'histogram field "h" has bucket bound number Infinity at index 1; each bound must be a finite number, 0 or more (+Inf is implied)',
    ],
    [
      () => new Runometer('m').addField('h', () => undefined, { kind: 'histogram', buckets: [-1, 1] }),
      'histogram field "h" has bucket bound number -1 at index 0; each bound must be a finite number, 0 or more (+Inf is implied)',
    ],
    [
      () => new Runometer('m').addField('h', () => undefined, { kind: 'histogram', buckets: [0.1, 0.1] }),
      'histogram field "h" has bucket bounds 0.1 then 0.1 at index 1; bounds must be strictly increasing',
    ],
    [
      () => new Runometer('m').addField('h', () => undefined, { kind: 'histogram', buckets: ['1'] as never }),
      'histogram field "h" has bucket bound string "1" at index 0; each bound must be a finite number, 0 or more (+Inf is implied)',
    ],
    [
      () => new Runometer('m').addField('g', () => 1, { buckets: [1] }),
      'field "g" has buckets but is a gauge: only a histogram (kind: \'histogram\') takes buckets',
    ],
    [
      () => new Runometer('m').addField('h', () => undefined, { kind: 'histogram', type: 'integer', buckets: [1] } as never),
      'field "h" is a histogram of numbers, so its type must be "float" (the default), not "integer"',
    ],
    [
      () =>
        new Runometer('m')
          .addField('h', () => undefined, { kind: 'histogram', buckets: [1] })
          .addField('h_sum', () => 's', { type: 'string' }),
      'field key "h_sum" is already written by histogram field "h" registered by the meter',
    ],
    [
      () =>
        new Runometer('m')
          .addField('h_count', () => 's', { type: 'string' })
          .addField('h', () => undefined, { kind: 'histogram', buckets: [1] }),
      'field key "h_count" is already registered by the meter',
    ],
    [
      () => new Runometer('m').addField('h', () => undefined, { kind: 'histogram', buckets: [1] }).addField('h_bucket', () => 1),
      'field key "h_bucket" is already written by histogram field "h" registered by the meter',
    ],
    [
      () => new Runometer('m').addField('h', () => undefined, { kind: 'histogram', buckets: [1] }).addTag('le', 'x'),
      'tag key "le" would be the label "le", which histogram field "h" registered by the meter gives its buckets',
    ],
    [
      () => new Runometer('m').addTag('le', 'x').addField('h', () => undefined, { kind: 'histogram', buckets: [1] }),
      'histogram field "h" gives its buckets the label "le", which tag key "le" registered by the meter already is',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { tags: ['le'], fields: { h: { kind: 'histogram', buckets: [1] } } }),
      'histogram field "h" gives its buckets the label "le", which tag key "le" registered by the meter already is',
    ],
    [
      () => new Runometer('m').addSeries('s', () => [], { fields: { h: { kind: 'histogram', buckets: [1] }, h_sum: {} } }),
      'field key "h_sum" of series "s" is already written by its field "h"',
    ],
    [
      () =>
        new Runometer('m')
          .addField('h', () => undefined, { kind: 'histogram', buckets: [1] })
          .addField('h_sum', () => 1, { kind: 'counter' }),
      'field key "h_sum" is already written by histogram field "h" registered by the meter',
    ],
  ])('%#: refused, naming the field', (register, message) => {
    expect(register).toThrow(message);
  });

  test('a gauge whose Prometheus name a histogram sample takes is refused', () => {
    expect(() =>
      new Runometer('m').addField('a.b', () => undefined, { kind: 'histogram', buckets: [1] }).addField('a_b_count', () => 1),
    ).toThrow(
      'gauge field "a_b_count" and histogram field "a.b" registered by the meter would both be served to Prometheus as "m_a_b_count": rename one',
    );
  });

  test('the catalog gives a histogram its buckets, and its native layout when it has one (the zero threshold defaulted)', () => {
    @preset('histogram-catalog-test')
    class Latency {
      @field('wait_seconds', { kind: 'histogram', buckets: [0.1, 1], native: { schema: 3 }, unit: 'seconds', help: 'Wait, in seconds.' })
      wait() {
        return { counts: [0, 0, 0], sum: 0 };
      }

      @series('queues', { tags: ['queue'], fields: { depth: { kind: 'histogram', buckets: [10] } } })
      queues() {
        return [];
      }
    }
    expect(catalogOf(Latency)).toEqual([
      {
        preset: 'histogram-catalog-test',
        key: 'wait_seconds',
        type: 'float',
        kind: 'histogram',
        buckets: [0.1, 1],
        native: { schema: 3, zeroThreshold: 2 ** -128 },
        unit: 'seconds',
        help: 'Wait, in seconds.',
        requires: [],
      },
      {
        preset: 'histogram-catalog-test',
        key: 'depth',
        series: 'queues',
        seriesTags: ['queue'],
        type: 'float',
        kind: 'histogram',
        buckets: [10],
        requires: [],
      },
    ]);
  });
});

describe('HistogramRecorder', () => {
  test('counts each observation in the first bucket whose bound is at least it, and sums them', () => {
    const recorder = recorded(0, 0.005, 0.0051, 1, 1.0000001, 1e9);
    expect(recorder.snapshot()).toEqual({ counts: new Float64Array([2, 1, 0, 1, 2]), sum: 0 + 0.005 + 0.0051 + 1 + 1.0000001 + 1e9 });
  });

  test('leaves out a negative, NaN or infinite value', () => {
    expect(recorded(-1, Number.NaN, Infinity, -Infinity).snapshot()).toEqual({ counts: new Float64Array(5), sum: 0 });
  });

  test('gives the same frozen snapshot until the next observation, and a copy that stays as it was', () => {
    const recorder = recorded(0.5);
    const first = recorder.snapshot();
    expect(recorder.snapshot()).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    recorder.record(0.5);
    const second = recorder.snapshot();
    expect(second).not.toBe(first);
    expect(Array.from(first.counts)).toEqual([0, 0, 0, 1, 0]);
    expect(Array.from(second.counts)).toEqual([0, 0, 0, 2, 0]);
  });

  test('checks its bounds as a field does', () => {
    expect(() => new HistogramRecorder([2, 1])).toThrow(
      'HistogramRecorder has bucket bounds 2 then 1 at index 1; bounds must be strictly increasing',
    );
    expect(() => new HistogramRecorder([1], { schema: 12 })).toThrow('HistogramRecorder has native schema number 12');
  });

  test('with a native layout, counts each observation in its exponential bucket too, growing its run either way', () => {
    const recorder = new HistogramRecorder([1], { schema: 0, zeroThreshold: 0.001 });
    expect(recorder.snapshot().native).toEqual({ zeroCount: 0, offset: 0, counts: new Float64Array(0) });
    // Schema 0: bucket i is (2^(i-1), 2^i]; 0.001 and 0 are in the zero bucket.
    for (const value of [0, 0.001, 3, 4]) recorder.record(value);
    expect(recorder.snapshot().native).toEqual({ zeroCount: 2, offset: -2, counts: new Float64Array([0, 0, 0, 0, 2, 0, 0, 0]) });
    recorder.record(2 ** 20);
    recorder.record(2 ** -9);
    const { native, counts } = recorder.snapshot();
    const buckets = new Map<number, number>();
    for (let i = 0; i < native!.counts.length; i++) if (native!.counts[i]! > 0) buckets.set(native!.offset + i, native!.counts[i]!);
    expect([...buckets]).toEqual([
      [-9, 1],
      [2, 2],
      [20, 1],
    ]);
    expect(native!.zeroCount + [...buckets.values()].reduce((sum, count) => sum + count)).toBe(
      Array.from(counts).reduce((sum, count) => sum + count),
    );
    expect(Object.isFrozen(native)).toBe(true);
  });

  test('copies its native buckets from the first with a count to the last into a reused copy, in a new array only when they outgrew it', () => {
    const recorder = new HistogramRecorder([1], { schema: 0, zeroThreshold: 0.001 });
    const copy: NativeCopy = { zeroCount: 0, offset: 0, length: 0, counts: new Float64Array(0) };
    recorder.record(0);
    recorder.copyNative(copy);
    expect(copy).toEqual({ zeroCount: 1, offset: 0, length: 0, counts: new Float64Array(0) });
    // Schema 0: 3 and 4 are in bucket 2, (2, 4]; 0.5 in bucket -1.
    recorder.record(3);
    recorder.record(4);
    recorder.copyNative(copy);
    expect(copy).toEqual({ zeroCount: 1, offset: 2, length: 1, counts: new Float64Array([2]) });
    recorder.record(0.5);
    recorder.copyNative(copy);
    const grown = copy.counts;
    expect(copy).toEqual({ zeroCount: 1, offset: -1, length: 4, counts: new Float64Array([1, 0, 0, 2]) });
    recorder.record(1);
    recorder.copyNative(copy);
    expect(copy.counts).toBe(grown);
    expect(copy).toEqual({ zeroCount: 1, offset: -1, length: 4, counts: new Float64Array([1, 1, 0, 2]) });
    // Written over, never read past `length`: a longer array from an earlier copy keeps its tail.
    const roomy: NativeCopy = { zeroCount: 9, offset: 9, length: 9, counts: new Float64Array(6).fill(7) };
    recorder.copyNative(roomy);
    expect(roomy).toEqual({ zeroCount: 1, offset: -1, length: 4, counts: new Float64Array([1, 1, 0, 2, 7, 7]) });
    const classicOnly: NativeCopy = { zeroCount: 0, offset: 0, length: 0, counts: new Float64Array(0) };
    recorded(0.5).copyNative(classicOnly);
    expect(classicOnly).toEqual({ zeroCount: 0, offset: 0, length: 0, counts: new Float64Array(0) });
  });

  test('a field declares the layout with native, and a value with native buckets needs it', async () => {
    const errors: RenderError[] = [];
    const durations = new HistogramRecorder([1], { schema: 3 });
    durations.record(0.5);
    const m = new Runometer('m', { onError: (error) => errors.push(error) })
      .addField('ok', () => 1)
      .addField('undeclared', () => durations.snapshot(), { kind: 'histogram', buckets: [1] })
      .addField('miscounted', () => ({ counts: [1, 0], sum: 0.5, native: { zeroCount: 0, offset: 0, counts: [] } }), {
        kind: 'histogram',
        buckets: [1],
        native: { schema: 3 },
      });
    expect(await m.render()).toBe('m ok=1\n');
    expect(errors.map((error) => `${error.key}: ${error.message}`)).toEqual([
      'undeclared: field "undeclared" gave an invalid value: histogram value has native buckets, but its field declares no native layout (native: { schema })',
      'miscounted: field "miscounted" gave an invalid value: native buckets count 0 observations (zeroCount and counts) where the classic buckets count 1: they must count the same',
    ]);
    expect(() => new Runometer('m').addField('g', () => 1, { native: { schema: 3 } })).toThrow(
      'field "g" has a native layout but is a gauge: only a histogram (kind: \'histogram\') takes one',
    );
    expect(() => new Runometer('m').addField('h', () => undefined, { kind: 'histogram', buckets: [1], native: { schema: -5 } })).toThrow(
      'histogram field "h" has native schema number -5; a schema is an integer from -4 to 8 (each bucket 2^(2^-schema) times the last)',
    );
  });
});

test.each([
  [0, '0.0'],
  [1, '1.0'],
  [0.005, '0.005'],
  [0.0001, '0.0001'],
  [0.00001, '1e-05'],
  [1.5e-7, '1.5e-07'],
  [100000, '100000.0'],
  [1e6, '1e+06'],
  [1234567, '1.234567e+06'],
  [2.5e22, '2.5e+22'],
])('le of %s is %s, as the Go client writes it', (bound, text) => {
  expect(canonicalNumber(bound)).toBe(text);
});
