import { describe, expect, test } from 'vitest';
import { toOpenMetrics, toPrometheus } from './prometheus.js';
import { Runometer } from '../runometer.js';
import type { FieldSpec, Snapshot } from '../model/snapshot.js';

describe('toPrometheus', () => {
  test('names and labels are made valid, and label values and help escaped', async () => {
    const meter = new Runometer('my-app.v2')
      .addTag('zone name', 'eu "west"\\1')
      .addField('2xx', () => 1, { help: 'Line one\nline \\ two' })
      .addField('bytes_total', () => 9, { type: 'integer', kind: 'counter' });
    expect(toPrometheus(await meter.collect())).toBe(
      [
        '# HELP my_app_v2_2xx Line one\\nline \\\\ two',
        '# TYPE my_app_v2_2xx gauge',
        'my_app_v2_2xx{zone_name="eu \\"west\\"\\\\1"} 1',
        '# HELP my_app_v2_bytes_total bytes_total of my-app.v2',
        '# TYPE my_app_v2_bytes_total counter',
        'my_app_v2_bytes_total{zone_name="eu \\"west\\"\\\\1"} 9',
        '',
      ].join('\n'),
    );
  });
});

describe('several snapshots', () => {
  const worker = (id: string, requests: number) =>
    new Runometer('web')
      .addTag('worker', id)
      .addField('requests', () => requests, { type: 'integer', kind: 'counter', help: `Requests served by worker ${id}.` })
      .addField('rss_bytes', () => requests * 100, { type: 'integer' })
      .collect();

  test("the samples of one family, from every snapshot, are served together under the first one's HELP and TYPE", async () => {
    const snapshots = [await worker('1', 5), await worker('2', 7)];
    expect(toPrometheus(snapshots)).toBe(
      [
        '# HELP web_requests_total Requests served by worker 1.',
        '# TYPE web_requests_total counter',
        'web_requests_total{worker="1"} 5',
        'web_requests_total{worker="2"} 7',
        '# HELP web_rss_bytes rss_bytes of web',
        '# TYPE web_rss_bytes gauge',
        'web_rss_bytes{worker="1"} 500',
        'web_rss_bytes{worker="2"} 700',
        '',
      ].join('\n'),
    );
    expect(toOpenMetrics(snapshots)).toBe(
      [
        '# HELP web_requests Requests served by worker 1.',
        '# TYPE web_requests counter',
        'web_requests_total{worker="1"} 5',
        'web_requests_total{worker="2"} 7',
        '# HELP web_rss_bytes rss_bytes of web',
        '# TYPE web_rss_bytes gauge',
        'web_rss_bytes{worker="1"} 500',
        'web_rss_bytes{worker="2"} 700',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  test('a field whose names another kind took first is left out, in both formats alike', async () => {
    // Registration refuses this within one meter; two meters can still bring it: `a` + `b_x` and `a_b` + `x` are both a_b_x.
    const counter = await new Runometer('a')
      .addField('b_x', () => 1, { type: 'integer', kind: 'counter' })
      .addField('y', () => 2)
      .collect();
    const gauge = await new Runometer('a_b')
      .addField('x', () => 3)
      .addField('x_total', () => 4)
      .collect();
    expect(toPrometheus([counter, gauge])).toBe(
      [
        '# HELP a_b_x_total b_x of a',
        '# TYPE a_b_x_total counter',
        'a_b_x_total 1',
        '# HELP a_y y of a',
        '# TYPE a_y gauge',
        'a_y 2',
        '',
      ].join('\n'),
    );
    expect(toOpenMetrics([counter, gauge])).toBe(
      [
        '# HELP a_b_x b_x of a',
        '# TYPE a_b_x counter',
        'a_b_x_total 1',
        '# HELP a_y y of a',
        '# TYPE a_y gauge',
        'a_y 2',
        '# EOF',
        '',
      ].join('\n'),
    );
    expect(toOpenMetrics([gauge, counter])).toBe(
      [
        '# HELP a_b_x x of a_b',
        '# TYPE a_b_x gauge',
        'a_b_x 3',
        '# HELP a_b_x_total x_total of a_b',
        '# TYPE a_b_x_total gauge',
        'a_b_x_total 4',
        '# HELP a_y y of a',
        '# TYPE a_y gauge',
        'a_y 2',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  test('a sample that two snapshots both give (same name, same labels) is served once, the first', async () => {
    expect(toPrometheus([await worker('1', 5), await worker('1', 9)])).toBe(
      [
        '# HELP web_requests_total Requests served by worker 1.',
        '# TYPE web_requests_total counter',
        'web_requests_total{worker="1"} 5',
        '# HELP web_rss_bytes rss_bytes of web',
        '# TYPE web_rss_bytes gauge',
        'web_rss_bytes{worker="1"} 500',
        '',
      ].join('\n'),
    );
  });

  test('among several snapshots, only the first sample of a name and label set is served, whichever snapshot repeats it', async () => {
    const twice = await new Runometer('web')
      .addSeries(
        'pools',
        () => [
          { tags: { pool: 'a' }, fields: { size: 1 } },
          { tags: { pool: 'a' }, fields: { size: 2 } },
          { tags: { pool: 'b' }, fields: { size: 3 } },
        ],
        {
          tags: ['pool'],
          fields: { size: {} },
        },
      )
      .collect();
    const other = await new Runometer('web')
      .addTag('pool', 'b')
      .addField('size', () => 4)
      .collect();
    expect(toPrometheus(twice)).toBe(
      '# HELP web_size size of web\n# TYPE web_size gauge\nweb_size{pool="a"} 1\nweb_size{pool="a"} 2\nweb_size{pool="b"} 3\n',
    );
    expect(toPrometheus([twice, other])).toBe(
      '# HELP web_size size of web\n# TYPE web_size gauge\nweb_size{pool="a"} 1\nweb_size{pool="b"} 3\n',
    );
    expect(toPrometheus([other, twice])).toBe(
      '# HELP web_size size of web\n# TYPE web_size gauge\nweb_size{pool="b"} 4\nweb_size{pool="a"} 1\n',
    );
  });

  test('no snapshot at all is an empty exposition', () => {
    expect(toPrometheus([])).toBe('');
    expect(toOpenMetrics([])).toBe('# EOF\n');
  });
});

describe('names worked out once per measurement and key', () => {
  const snapshotOf = (spec: FieldSpec, value: number): Snapshot => ({
    measurement: 'web',
    points: [{ tags: [], fields: [{ spec, value }] }],
  });

  test("follow each render's spec: a field of the same measurement and key with another help or kind is written as it is now", () => {
    const gauge = snapshotOf({ key: 'x', escapedKey: 'x', type: 'float', kind: 'gauge', help: 'One.' }, 1);
    const counter = snapshotOf({ key: 'x', escapedKey: 'x', type: 'integer', kind: 'counter', help: 'Two.' }, 2);
    const unhelped = snapshotOf({ key: 'x', escapedKey: 'x', type: 'integer', kind: 'counter' }, 3);
    expect(toPrometheus(gauge)).toBe('# HELP web_x One.\n# TYPE web_x gauge\nweb_x 1\n');
    expect(toOpenMetrics(counter)).toBe('# HELP web_x Two.\n# TYPE web_x counter\nweb_x_total 2\n# EOF\n');
    expect(toOpenMetrics(unhelped)).toBe('# HELP web_x x of web\n# TYPE web_x counter\nweb_x_total 3\n# EOF\n');
    expect(toPrometheus(gauge)).toBe('# HELP web_x One.\n# TYPE web_x gauge\nweb_x 1\n');
  });

  test('a snapshot that gives its samples in another order than the last one is written in its own', () => {
    const spec = (key: string): FieldSpec => ({ key, escapedKey: key, type: 'float', kind: 'gauge' });
    const of = (...keys: string[]): Snapshot => ({
      measurement: 'web',
      points: [{ tags: [], fields: keys.map((key, i) => ({ spec: spec(key), value: i })) }],
    });
    expect(toPrometheus(of('a', 'b'))).toBe(
      '# HELP web_a a of web\n# TYPE web_a gauge\nweb_a 0\n# HELP web_b b of web\n# TYPE web_b gauge\nweb_b 1\n',
    );
    expect(toPrometheus(of('b', 'c', 'a'))).toBe(
      '# HELP web_b b of web\n# TYPE web_b gauge\nweb_b 0\n# HELP web_c c of web\n# TYPE web_c gauge\nweb_c 1\n# HELP web_a a of web\n# TYPE web_a gauge\nweb_a 2\n',
    );
    expect(toPrometheus(of('a'))).toBe('# HELP web_a a of web\n# TYPE web_a gauge\nweb_a 0\n');
  });

  test('a snapshot made of new objects at every render (as one from another process) is written alike', async () => {
    const meter = new Runometer('web')
      .addTag('app', 'api')
      .addField('requests', () => 4, { type: 'integer', kind: 'counter' })
      .addField('load', () => 0.5);
    const snapshot = await meter.collect();
    const copy = structuredClone(snapshot);
    expect(copy.points[0]!.fields[0]!.spec).not.toBe(snapshot.points[0]!.fields[0]!.spec);
    expect(toPrometheus([copy, structuredClone(snapshot)])).toBe(toPrometheus(snapshot));
    expect(toOpenMetrics(copy)).toBe(toOpenMetrics(snapshot));
  });

  test("a render's families end with it: the next render of colliding names starts from none", async () => {
    const counter = await new Runometer('a').addField('b_x', () => 1, { type: 'integer', kind: 'counter' }).collect();
    const gauge = await new Runometer('a_b').addField('x', () => 3).collect();
    expect(toPrometheus(counter)).toBe('# HELP a_b_x_total b_x of a\n# TYPE a_b_x_total counter\na_b_x_total 1\n');
    expect(toPrometheus(gauge)).toBe('# HELP a_b_x x of a_b\n# TYPE a_b_x gauge\na_b_x 3\n');
    expect(toPrometheus([gauge, counter])).toBe('# HELP a_b_x x of a_b\n# TYPE a_b_x gauge\na_b_x 3\n');
    expect(toPrometheus([counter, gauge])).toBe('# HELP a_b_x_total b_x of a\n# TYPE a_b_x_total counter\na_b_x_total 1\n');
  });

  test("a series' rows each give their samples to the family of their field, after the meter's own line", async () => {
    const meter = new Runometer('disk')
      .addTag('host', 'h1')
      .addField('ops', () => 9, { type: 'integer', kind: 'counter' })
      .addSeries(
        'mounts',
        () => [
          { tags: { mount: '/' }, fields: { used: 1, free: 2 } },
          { tags: { mount: '/var' }, fields: { used: 3 } },
        ],
        {
          tags: ['mount'],
          fields: { used: {}, free: {} },
        },
      );
    expect(toPrometheus(await meter.collect())).toBe(
      [
        '# HELP disk_ops_total ops of disk',
        '# TYPE disk_ops_total counter',
        'disk_ops_total{host="h1"} 9',
        '# HELP disk_used used of disk',
        '# TYPE disk_used gauge',
        'disk_used{host="h1",mount="/"} 1',
        'disk_used{host="h1",mount="/var"} 3',
        '# HELP disk_free free of disk',
        '# TYPE disk_free gauge',
        'disk_free{host="h1",mount="/"} 2',
        '',
      ].join('\n'),
    );
  });
});
