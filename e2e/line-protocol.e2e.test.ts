import { Runometer } from '@runometer/core';
import { normalizeTagValue } from '@runometer/core/format';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startInfluxDB, type InfluxDB } from './influxdb.js';

let influx: InfluxDB;
const DB = 'runometer';

beforeAll(async () => {
  influx = await startInfluxDB();
  await influx.query(DB, `CREATE DATABASE ${DB}`);
});

afterAll(async () => {
  await influx?.stop();
});

async function writeAccepted(body: string): Promise<void> {
  const { status, text } = await influx.write(DB, body);
  expect({ status, text }).toEqual({ status: 204, text: '' });
}

describe('InfluxDB 1.6 accepts what core renders and gives the same values back', () => {
  test("Pharometer's example, with names that need escaping and every field type", async () => {
    const meter = new Runometer('pharo meter,v2', { timestamps: true })
      .addContextBuilder(() => ({ sockets: [{ connected: true }, { connected: false }, { connected: true }] }))
      .addTag('app name', 'app,42')
      .addTag('image', () => 'C:\\Users\\seb\\blah project')
      .addTag('k=v', 'a=b')
      .addField('total sockets', (ctx) => ctx.sockets.length, { type: 'integer' })
      .addField('connected,sockets', (ctx) => ctx.sockets.filter((s) => s.connected).length, { type: 'integer' })
      .addField('ratio=', (ctx) => 2 / ctx.sockets.length)
      .addField('note', () => 'say "hi"\\n\nnext', { type: 'string' })
      .addField('healthy', () => true, { type: 'boolean' });
    await writeAccepted(await meter.render());

    const [fieldKeys] = await influx.query(DB, 'SHOW FIELD KEYS FROM "pharo meter,v2"');
    expect(fieldKeys!.series![0]!.values).toEqual([
      ['connected,sockets', 'integer'],
      ['healthy', 'boolean'],
      ['note', 'string'],
      ['ratio=', 'float'],
      ['total sockets', 'integer'],
    ]);
    const [points] = await influx.query(DB, 'SELECT * FROM "pharo meter,v2" GROUP BY *');
    const [series] = points!.series!;
    expect(series!.tags).toEqual({ 'app name': 'app,42', image: 'C:\\Users\\seb\\blah project', 'k=v': 'a=b' });
    expect(series!.columns).toEqual(['time', 'connected,sockets', 'healthy', 'note', 'ratio=', 'total sockets']);
    expect(series!.values[0]!.slice(1)).toEqual([2, true, 'say "hi"\\n next', 2 / 3, 3]);
  });

  test('tag values and string fields from a property generator come back as documented', async () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom(',', '=', ' ', '\\', '"', '\n', '\r', '\t', '\f', '#', 'é', '𝄞'),
        fc.string({ maxLength: 1, unit: 'grapheme' }),
      ),
      minLength: 1,
      maxLength: 20,
    });
    const values = fc.sample(text, { numRuns: 300, seed: 20261125 });
    const meter = new Runometer('samples', { timestamps: true }).addSeries(
      'samples',
      () => values.map((value, i) => ({ tags: { i: String(i), k: value }, fields: { s: value } })),
      { tags: ['i', 'k'], fields: { s: { type: 'string' } } },
    );
    await writeAccepted(await meter.render());

    const [result] = await influx.query(DB, 'SELECT s FROM samples GROUP BY *');
    const stored = new Map(result!.series!.map((s) => [Number(s.tags!['i']), { k: s.tags!['k'], s: s.values[0]![1] }]));
    expect(stored.size).toBe(values.length);
    values.forEach((value, i) => {
      expect(stored.get(i), JSON.stringify(value)).toEqual({ k: normalizeTagValue(value), s: value.replace(/\r\n|[\r\n\f]/g, ' ') });
    });
  });

  test('floats and int64 extremes come back exactly', async () => {
    const floats = [0.1, -2.5, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, 1 / 3, 123456789.123456789];
    const integers = [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 53n + 1n];
    const meter = new Runometer('numbers', { timestamps: true })
      .addSeries('floats', () => floats.map((f, i) => ({ tags: { i: `f${i}` }, fields: { f } })), { tags: ['i'], fields: { f: {} } })
      .addSeries('integers', () => integers.map((n, i) => ({ tags: { i: `n${i}` }, fields: { n } })), {
        tags: ['i'],
        fields: { n: { type: 'integer' } },
      });
    await writeAccepted(await meter.render());

    const [f] = await influx.query(DB, 'SELECT f FROM numbers GROUP BY i');
    expect(f!.series!.map((s) => s.values[0]![1])).toEqual(floats);
    const [n] = await influx.query(DB, 'SELECT n FROM numbers GROUP BY i', { exactIntegers: true });
    expect(n!.series!.map((s) => BigInt(s.values[0]![1] as string | number))).toEqual(integers);
  });

  test('a field keeps its type across renders, so later writes never conflict', async () => {
    let value: number = 5;
    const meter = new Runometer('typed').addField('count', () => value, { type: 'integer' }).addField('level', () => value);
    await writeAccepted(await meter.render());
    value = 7;
    await writeAccepted(await meter.render());
    const [fieldKeys] = await influx.query(DB, 'SHOW FIELD KEYS FROM typed');
    expect(fieldKeys!.series![0]!.values).toEqual([
      ['count', 'integer'],
      ['level', 'float'],
    ]);
  });

  // A cluster's worker line has a pid tag (from @runometer/cluster) and a pid field (from preset-other).
  test('a tag and a field of one name are both kept, and InfluxQL tells them apart', async () => {
    await writeAccepted('clustered,pid=4242,worker=1 pid=4242i,rss_bytes=1i\nclustered,pid=4343,worker=2 pid=4343i,rss_bytes=2i\n');
    const [bare] = await influx.query(DB, 'SELECT "pid" FROM clustered GROUP BY "pid"');
    expect(bare!.series!.map((s) => [s.tags, s.values[0]![1]])).toEqual([
      [{ pid: '4242' }, 4242],
      [{ pid: '4343' }, 4343],
    ]);
    const [typed] = await influx.query(DB, 'SELECT "pid"::field, "pid"::tag FROM clustered');
    expect(typed!.series![0]!.values.map((row) => row.slice(1))).toEqual([
      [4242, '4242'],
      [4343, '4343'],
    ]);
  });
});
