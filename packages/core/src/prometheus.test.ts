import { describe, expect, test } from 'vitest';
import { toOpenMetrics, toPrometheus } from './prometheus.js';
import { Runometer } from './runometer.js';

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
    const counter = await new Runometer('a').addField('b_x', () => 1, { type: 'integer', kind: 'counter' }).addField('y', () => 2).collect();
    const gauge = await new Runometer('a_b').addField('x', () => 3).addField('x_total', () => 4).collect();
    expect(toPrometheus([counter, gauge])).toBe(
      ['# HELP a_b_x_total b_x of a', '# TYPE a_b_x_total counter', 'a_b_x_total 1', '# HELP a_y y of a', '# TYPE a_y gauge', 'a_y 2', ''].join('\n'),
    );
    expect(toOpenMetrics([counter, gauge])).toBe(
      ['# HELP a_b_x b_x of a', '# TYPE a_b_x counter', 'a_b_x_total 1', '# HELP a_y y of a', '# TYPE a_y gauge', 'a_y 2', '# EOF', ''].join('\n'),
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

  test('no snapshot at all is an empty exposition', () => {
    expect(toPrometheus([])).toBe('');
    expect(toOpenMetrics([])).toBe('# EOF\n');
  });
});
