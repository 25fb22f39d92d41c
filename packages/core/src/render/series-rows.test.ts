import { describe, expect, test } from 'vitest';
import { toJson } from '../format/json.js';
import { toLineProtocol } from '../format/line-protocol.js';
import { toPrometheus } from '../format/prometheus.js';
import { Runometer } from '../runometer.js';
import type { Snapshot } from '../model/snapshot.js';

// A series' rows are read through what earlier renders learnt (tag sets by value, rows by place,
// each tag list's text in every format): every render must still give what its own rows say.

/** A meter that records its faults as `source key reason: message` lines. */
function recording() {
  const faults: string[] = [];
  const meter = new Runometer('m', { onError: (error) => faults.push(`${error.source} ${error.key} ${error.reason}: ${error.message}`) });
  return { meter, faults };
}

type Row = { tags?: Record<string, unknown>; fields: Record<string, unknown> };

/** A meter with series `s` (tags `a` and `b`, fields `v` and `w`) whose rows are `current.rows` at each render. */
function seriesMeter() {
  const current: { rows: Row[] } = { rows: [] };
  const { meter, faults } = recording();
  meter.addSeries('s', () => current.rows as never, { tags: ['b', 'a'], fields: { v: {}, w: { type: 'integer' } } });
  return { meter, faults, current };
}

describe('series rows from render to render', () => {
  test('tag values that need escaping or normalising are written alike at every render, in every format', async () => {
    const { meter, current } = seriesMeter();
    current.rows = [
      { tags: { a: 'x y,z=1', b: 'tab\there' }, fields: { v: 1 } },
      { tags: { a: 'trailing\\', b: 'q\\"u' }, fields: { v: 2 } },
      { tags: { a: '\\', b: 7 }, fields: { v: 3 } },
      { tags: { a: 7, b: '7' }, fields: { v: 4 } },
      { tags: { a: true, b: 10n }, fields: { v: 5 } },
    ];
    const lines =
      'm,a=x\\ y\\,z\\=1,b=tab\\ here v=1\n' + 'm,a=trailing,b=q"u v=2\n' + 'm,b=7 v=3\n' + 'm,a=7,b=7 v=4\n' + 'm,a=true,b=10 v=5\n';
    for (let render = 0; render < 3; render++) {
      const snapshot = await meter.collect();
      expect(toLineProtocol(snapshot)).toBe(lines);
      expect(toPrometheus(snapshot)).toBe(
        '# HELP m_v v of m\n# TYPE m_v gauge\n' +
          'm_v{a="x y,z=1",b="tab here"} 1\nm_v{a="trailing",b="q\\"u"} 2\nm_v{b="7"} 3\nm_v{a="7",b="7"} 4\nm_v{a="true",b="10"} 5\n',
      );
      expect(toJson(snapshot)).toBe(
        '{"measurement":"m","points":[' +
          '{"series":"s","tags":{"a":"x y,z=1","b":"tab here"},"fields":{"v":1}},{"series":"s","tags":{"a":"trailing","b":"q\\"u"},"fields":{"v":2}},' +
          '{"series":"s","tags":{"b":"7"},"fields":{"v":3}},{"series":"s","tags":{"a":"7","b":"7"},"fields":{"v":4}},{"series":"s","tags":{"a":"true","b":"10"},"fields":{"v":5}}]}',
      );
    }
  });

  test('rows with differing keys and absent values, in an order that changes', async () => {
    const { meter, faults, current } = seriesMeter();
    const rows: Row[] = [
      { tags: { a: 'p' }, fields: { v: 1, w: 2 } },
      { fields: { v: 3 } },
      { tags: { a: 'p', b: undefined }, fields: { v: null, w: 4 } },
      { tags: { a: Number.NaN, b: null }, fields: { v: Number.POSITIVE_INFINITY, w: 5 } },
      { tags: { b: 'q' }, fields: { v: undefined } },
    ];
    current.rows = rows;
    expect(await meter.render()).toBe('m,a=p v=1,w=2i\nm v=3\nm,a=p w=4i\nm w=5i\n');
    current.rows = [...rows].reverse();
    expect(await meter.render()).toBe('m w=5i\nm,a=p w=4i\nm v=3\nm,a=p v=1,w=2i\n');
    current.rows = [rows[1]!, rows[0]!];
    expect(await meter.render()).toBe('m v=3\nm,a=p v=1,w=2i\n');
    expect(faults).toEqual([]);
  });

  test("a row's tag values that change between renders give the new ones, at the same place", async () => {
    const { meter, current } = seriesMeter();
    current.rows = [
      { tags: { a: 'one', b: 'x' }, fields: { v: 1 } },
      { tags: { a: 'two' }, fields: { v: 2 } },
    ];
    expect(await meter.render()).toBe('m,a=one,b=x v=1\nm,a=two v=2\n');
    current.rows = [
      { tags: { a: 'one', b: 'y' }, fields: { v: 1 } },
      { tags: { a: 2 }, fields: { v: 2 } },
    ];
    expect(await meter.render()).toBe('m,a=one,b=y v=1\nm,a=2 v=2\n');
    current.rows = [
      { tags: { a: 'one', b: 'x' }, fields: { v: 1 } },
      { tags: { a: 'two' }, fields: { v: 2 } },
    ];
    expect(await meter.render()).toBe('m,a=one,b=x v=1\nm,a=two v=2\n');
  });

  test("the meter's tags that change between renders are merged into every row", async () => {
    let host = 'h1';
    const meter = new Runometer('m')
      .addTag('host', () => host)
      .addTag('app', 'api')
      .addSeries(
        's',
        () => [
          { tags: { id: 'r' }, fields: { v: 1 } },
          { tags: {}, fields: { v: 2 } },
        ],
        { tags: ['id'], fields: { v: {} } },
      );
    expect(await meter.render()).toBe('m,app=api,host=h1,id=r v=1\nm,app=api,host=h1 v=2\n');
    host = 'h2';
    expect(await meter.render()).toBe('m,app=api,host=h2,id=r v=1\nm,app=api,host=h2 v=2\n');
    host = '';
    expect(await meter.render()).toBe('m,app=api,id=r v=1\nm,app=api v=2\n');
  });

  test('a row whose getters throw is left out and reported at every render; the other rows are read', async () => {
    const { meter, faults, current } = seriesMeter();
    const throwing = (what: string) => ({
      get a() {
        throw new Error(`${what} tag`);
      },
    });
    current.rows = [
      { tags: { a: 'ok' }, fields: { v: 1 } },
      { tags: throwing('first'), fields: { v: 2 } },
      {
        tags: { a: 'ok' },
        get fields(): Record<string, unknown> {
          throw new Error('no fields');
        },
      },
      {
        tags: { a: 'ok' },
        fields: {
          v: 4,
          get w() {
            throw new Error('no w');
          },
        },
      },
      { tags: { a: 'last' }, fields: { w: 5 } },
    ];
    for (let render = 0; render < 2; render++) expect(await meter.render()).toBe('m,a=ok v=1\nm,a=last w=5i\n');
    const once = [
      'series s threw: series "s" threw reading a row, which was left out: first tag',
      'series s threw: series "s" threw reading a row, which was left out: no fields',
      'series s threw: series "s" threw reading a row, which was left out: no w',
    ];
    expect(faults).toEqual([...once, ...once]);
  });

  test('a row that changes shape between renders is read as it is at each render', async () => {
    const { meter, faults, current } = seriesMeter();
    class Tags {
      constructor(readonly a: string) {}
    }
    current.rows = [{ tags: { a: 'p' }, fields: { v: 1 } }];
    expect(await meter.render()).toBe('m,a=p v=1\n');
    current.rows = [{ tags: { a: 'p', c: 'extra' }, fields: { v: 1 } }];
    expect(await meter.render()).toBe('');
    current.rows = [{ tags: { b: 'p' }, fields: { v: 1, x: 2 } }];
    expect(await meter.render()).toBe('m,b=p v=1\n');
    current.rows = [{ tags: new Tags('p') as never, fields: Object.assign(Object.create(null) as object, { w: 3 }) }];
    expect(await meter.render()).toBe('m,a=p w=3i\n');
    current.rows = [{ tags: { a: { toString: () => 'p' } }, fields: { v: 1 } }];
    expect(await meter.render()).toBe('m v=1\n');
    current.rows = [{ tags: { a: 'p' }, fields: { v: 1 } }];
    expect(await meter.render()).toBe('m,a=p v=1\n');
    expect(faults).toEqual([
      'series s invalid: series "s" gave a row with undeclared tag "c"; the row was left out',
      'series s invalid: series "s" gave undeclared field "x"; it was left out',
      'tag a invalid: tag "a" gave an invalid value in series "s": expected a string, number or boolean, got an object',
    ]);
  });

  test('an invalid tag value is reported at every render', async () => {
    const { meter, faults, current } = seriesMeter();
    current.rows = [{ tags: { a: [1], b: 'k' }, fields: { v: 1 } }];
    for (let render = 0; render < 2; render++) expect(await meter.render()).toBe('m,b=k v=1\n');
    expect(faults).toEqual([
      'tag a invalid: tag "a" gave an invalid value in series "s": expected a string, number or boolean, got an array',
      'tag a invalid: tag "a" gave an invalid value in series "s": expected a string, number or boolean, got an array',
    ]);
  });

  test('a tag that makes the series key too long is reported at every render', async () => {
    const { meter, faults, current } = seriesMeter();
    current.rows = [{ tags: { a: 'x'.repeat(70_000), b: 'k' }, fields: { v: 1 } }];
    for (let render = 0; render < 2; render++) expect(await meter.render()).toBe('m,b=k v=1\n');
    expect(faults).toHaveLength(2);
    expect(faults[1]).toBe(faults[0]);
    expect(faults[0]).toMatch(/^tag a invalid: tag "a" gave a value in series "s" that makes the series key \d+ bytes long/);
  });

  test('values seen once each, render after render, keep being read right', async () => {
    const { meter, current } = seriesMeter();
    for (let render = 0; render < 150; render++) {
      current.rows = Array.from({ length: 10 }, (_, i) => ({ tags: { a: `r${render}-${i}` }, fields: { v: i } }));
      const expected = current.rows.map((_, i) => `m,a=r${render}-${i} v=${i}\n`).join('');
      expect(await meter.render()).toBe(expected);
    }
  });
});

describe("a snapshot's tag lists", () => {
  test('a tag list changed after it was written is written as it is now', () => {
    const tags = [{ key: 'id', value: 'a' }];
    const snapshot: Snapshot = {
      measurement: 'm',
      points: [{ series: 's', tags, fields: [{ spec: { key: 'v', escapedKey: 'v', type: 'float', kind: 'gauge' }, value: 1 }] }],
    };
    expect(toLineProtocol(snapshot)).toBe('m,id=a v=1\n');
    expect(toPrometheus(snapshot)).toBe('# HELP m_v v of m\n# TYPE m_v gauge\nm_v{id="a"} 1\n');
    expect(toJson(snapshot)).toBe('{"measurement":"m","points":[{"series":"s","tags":{"id":"a"},"fields":{"v":1}}]}');
    tags[0] = { key: 'id', value: 'b' };
    tags.push({ key: 'zone', value: 'z' });
    expect(toLineProtocol(snapshot)).toBe('m,id=b,zone=z v=1\n');
    expect(toPrometheus(snapshot)).toBe('# HELP m_v v of m\n# TYPE m_v gauge\nm_v{id="b",zone="z"} 1\n');
    expect(toJson(snapshot)).toBe('{"measurement":"m","points":[{"series":"s","tags":{"id":"b","zone":"z"},"fields":{"v":1}}]}');
  });

  test('a frozen tag list whose tag is changed after it was written is written as it is now', () => {
    const tag = { key: 'id', value: 'a' };
    const snapshot: Snapshot = {
      measurement: 'm',
      points: [
        {
          series: 's',
          tags: Object.freeze([tag]),
          fields: [{ spec: { key: 'v', escapedKey: 'v', type: 'float', kind: 'gauge' }, value: 1 }],
        },
      ],
    };
    expect([toLineProtocol(snapshot), toPrometheus(snapshot), toJson(snapshot)]).toEqual([
      'm,id=a v=1\n',
      '# HELP m_v v of m\n# TYPE m_v gauge\nm_v{id="a"} 1\n',
      '{"measurement":"m","points":[{"series":"s","tags":{"id":"a"},"fields":{"v":1}}]}',
    ]);
    tag.value = 'b';
    expect([toLineProtocol(snapshot), toPrometheus(snapshot), toJson(snapshot)]).toEqual([
      'm,id=b v=1\n',
      '# HELP m_v v of m\n# TYPE m_v gauge\nm_v{id="b"} 1\n',
      '{"measurement":"m","points":[{"series":"s","tags":{"id":"b"},"fields":{"v":1}}]}',
    ]);
  });

  test("a render's tag lists cannot be changed, so that no later render is written from a changed one", async () => {
    const meter = new Runometer('m')
      .addTag('app', 'api')
      .addSeries('s', () => [{ tags: { id: 'r' }, fields: { v: 1 } }], { tags: ['id'], fields: { v: {} } });
    const snapshot = await meter.collect();
    const [point] = snapshot.points;
    expect(() => (point!.tags as { key: string; value: string }[]).push({ key: 'x', value: 'y' })).toThrow(TypeError);
    expect(() => ((point!.tags[0] as { value: string }).value = 'changed')).toThrow(TypeError);
    expect(await meter.render()).toBe('m,app=api,id=r v=1\n');
  });

  test('a series point and a point of the same tags but another series give their own JSON', async () => {
    const meter = new Runometer('m')
      .addTag('app', 'api')
      .addField('f', () => 1)
      .addSeries('s', () => [{ tags: {}, fields: { v: 2 } }], { fields: { v: {} } })
      .addSeries('t', () => [{ fields: { w: 3 } }], { fields: { w: {} } });
    const expected =
      '{"measurement":"m","points":[{"tags":{"app":"api"},"fields":{"f":1}},{"series":"s","tags":{"app":"api"},"fields":{"v":2}},{"series":"t","tags":{"app":"api"},"fields":{"w":3}}]}';
    for (let render = 0; render < 2; render++) expect(toJson(await meter.collect())).toBe(expected);
  });
});
