import { describe, expect, test } from 'vitest';
import { toOpenMetrics, toPrometheus } from '../format/prometheus.js';
import { Runometer } from '../runometer.js';
import { assertValidOpenMetrics, assertValidPrometheus, lintPrometheus } from './lint-prometheus.js';

describe("core's own bodies", () => {
  test('are valid Prometheus text and OpenMetrics', async () => {
    const meter = new Runometer('app')
      .addTag('host', 'h"1')
      .addField('requests_total', () => 3, { type: 'integer', kind: 'counter', help: 'Requests.' })
      .addField('load', () => 0.5);
    const snapshot = await meter.collect();
    expect(() => assertValidPrometheus(toPrometheus(snapshot))).not.toThrow();
    expect(() => assertValidOpenMetrics(toOpenMetrics(snapshot))).not.toThrow();
  });
});

describe('assertValidPrometheus', () => {
  test('lists every finding, by line', () => {
    const body = ['# TYPE a gauge', 'a 1', 'a 2', '# TYPE b histogrm', 'c{x="1",x="2"} 1', 'd one', ''].join('\n');
    expect(() => assertValidPrometheus(body)).toThrow(
      [
        'not a valid Prometheus text body:',
        'line 3: sample a{} given twice',
        'line 4: "histogrm" is not a metric type',
        'line 5 is not a sample: "c{x=\\"1\\",x=\\"2\\"} 1"',
        'line 6: "one" is not a sample value',
      ].join('\n'),
    );
  });

  test('accepts the values Go parses: signs, exponents, Inf and NaN', () => {
    expect(lintPrometheus('a{x="1"} -1.5e3\na{x="2"} +Inf\na{x="3"} NaN\na{x="4"} .5 1700000000000\n', false)).toEqual([]);
  });
});

describe('assertValidOpenMetrics', () => {
  test('requires the final "# EOF" and no other comment', () => {
    expect(() => assertValidOpenMetrics('# TYPE a counter\n# a note\na_total 1\n')).toThrow(
      [
        'not a valid OpenMetrics body:',
        'line 2: OpenMetrics allows no other comment: "# a note"',
        'the OpenMetrics body does not end with "# EOF"',
      ].join('\n'),
    );
  });

  test('refuses two families that name the same samples', () => {
    expect(() => assertValidOpenMetrics('# TYPE a counter\n# TYPE a_total gauge\na_total 1\n# EOF\n')).toThrow(
      'not a valid OpenMetrics body:\nline 2: families "a" and "a_total" both name samples "a_total"',
    );
  });
});

describe('histograms', () => {
  test("core's histograms pass, in both formats", async () => {
    const meter = new Runometer('app')
      .addTag('host', 'h1')
      .addField('wait_seconds', () => ({ counts: [1, 2, 0], sum: 1.5 }), { kind: 'histogram', buckets: [0.1, 1] });
    const snapshot = await meter.collect();
    expect(lintPrometheus(toPrometheus(snapshot), false)).toEqual([]);
    expect(lintPrometheus(toOpenMetrics(snapshot), true)).toEqual([]);
  });

  test('buckets out of order, counts that decrease, no +Inf, a _count unlike +Inf, a bucket without le', () => {
    const body = [
      '# TYPE h histogram',
      'h_bucket{a="1",le="1"} 3',
      'h_bucket{a="1",le="0.5"} 2',
      'h_bucket{a="1",le="+Inf"} 4',
      'h_count{a="1"} 5',
      'h_bucket{a="2",le="1"} 1',
      'h_bucket{a="3",le="1"} 2',
      'h_bucket{a="3",le="+Inf"} 1',
      'h_bucket{a="4"} 1',
      '',
    ].join('\n');
    expect(lintPrometheus(body, false)).toEqual([
      'line 3: bucket le="0.5" of h{a="1"} after a bucket of le 1: buckets go in increasing le',
      'line 3: bucket le="0.5" of h{a="1"} counts 2, less than the bucket before it (3)',
      'line 8: bucket le="+Inf" of h{a="3"} counts 1, less than the bucket before it (2)',
      'line 9: bucket of h without a numeric le',
      'line 2: h{a="1"} has a _count of 5, not its +Inf bucket\'s 4',
      'line 6: h{a="2"} has no le="+Inf" bucket',
    ]);
  });
});
