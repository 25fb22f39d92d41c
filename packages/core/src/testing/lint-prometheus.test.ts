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
