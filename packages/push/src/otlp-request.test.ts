import { otelField, type FieldDescription } from '@runometer/otel';
import { describe, expect, test } from 'vitest';
import { decodeRequest, readJsonRequest } from '../test/otlp-proto.js';
import { otlpJson, otlpProtobuf, type OtlpPoint } from './otlp-request.js';

const START = 1_765_000_000_123_456_789n;
const TIME = 1_765_000_060_987_654_321n;

function point(
  measurement: string,
  field: FieldDescription,
  value: OtlpPoint['value'],
  attributes: Record<string, string> = {},
  time = TIME,
): OtlpPoint {
  return { field: otelField(measurement, field)!, attributes, time, start: START, value };
}

const scope = { name: '@runometer/otel', version: '0.0.0' };
const times = { startTimeUnixNano: String(START), timeUnixNano: String(TIME) };
const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });

/** A batch of every kind: an integer gauge (negative), a double gauge, a counter, an up-down counter, a histogram, two points of one name. */
const batch: OtlpPoint[] = [
  point('app', { key: 'balance', type: 'integer', kind: 'gauge', help: 'Balance, in cents.' }, -1_234, { host: 'h1' }),
  point('app', { key: 'ratio', type: 'float', kind: 'gauge', unit: 'ratio' }, 0.25, { host: 'h1' }),
  point('app', { key: 'jobs_total', type: 'integer', kind: 'counter', unit: 'count' }, 2 ** 53 - 1),
  point('app', { key: 'rss_bytes', type: 'integer', kind: 'gauge', unit: 'bytes' }, 4096),
  point(
    'app',
    { key: 'wait_seconds', type: 'float', kind: 'histogram', unit: 'seconds', buckets: [0.1, 1] },
    {
      bounds: [0.1, 1],
      counts: [1, 2, 1],
      count: 4,
      sum: 4.25,
    },
  ),
  point('app', { key: 'cpu_user_seconds_total', type: 'float', kind: 'counter', unit: 'seconds' }, 1.5, { host: 'h1', 'cpu.mode': 'user' }),
  point('app', { key: 'cpu_system_seconds_total', type: 'float', kind: 'counter', unit: 'seconds' }, 0.5, {
    host: 'h1',
    'cpu.mode': 'system',
  }),
];

/** The request `batch` is, as OTLP/JSON writes it (and as protobufjs reads the protobuf one, in JSON's conventions). */
const expected = {
  resourceMetrics: [
    {
      resource: { attributes: [kv('service.name', 'checkout'), kv('deployment.environment.name', 'prod')] },
      scopeMetrics: [
        {
          scope,
          metrics: [
            {
              name: 'app.balance',
              description: 'Balance, in cents.',
              gauge: { dataPoints: [{ attributes: [kv('host', 'h1')], ...times, asInt: '-1234' }] },
            },
            {
              name: 'app.ratio',
              description: 'ratio of app',
              unit: '1',
              gauge: { dataPoints: [{ attributes: [kv('host', 'h1')], ...times, asDouble: 0.25 }] },
            },
            {
              name: 'app.jobs_total',
              description: 'jobs_total of app',
              unit: '{count}',
              sum: { dataPoints: [{ ...times, asInt: '9007199254740991' }], aggregationTemporality: 2, isMonotonic: true },
            },
            {
              name: 'process.memory.usage',
              description: 'rss_bytes of app',
              unit: 'By',
              sum: { dataPoints: [{ ...times, asInt: '4096' }], aggregationTemporality: 2 },
            },
            {
              name: 'app.wait_seconds',
              description: 'wait_seconds of app',
              unit: 's',
              histogram: {
                dataPoints: [{ ...times, count: '4', sum: 4.25, bucketCounts: ['1', '2', '1'], explicitBounds: [0.1, 1] }],
                aggregationTemporality: 2,
              },
            },
            {
              name: 'process.cpu.time',
              description: 'cpu_user_seconds_total of app',
              unit: 's',
              sum: {
                dataPoints: [
                  { attributes: [kv('host', 'h1'), kv('cpu.mode', 'user')], ...times, asDouble: 1.5 },
                  { attributes: [kv('host', 'h1'), kv('cpu.mode', 'system')], ...times, asDouble: 0.5 },
                ],
                aggregationTemporality: 2,
                isMonotonic: true,
              },
            },
          ],
        },
      ],
    },
  ],
};

const resource = { 'service.name': 'checkout', 'deployment.environment.name': 'prod' };
const jsonOf = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));

describe('the OTLP request', () => {
  test('protobuf: every metric, data point, attribute and the resource, as the official definitions read them', () => {
    expect(decodeRequest(otlpProtobuf(batch, resource))).toEqual(expected);
  });

  test('JSON: the same message, every key and value where the definitions put them', () => {
    const json = jsonOf(otlpJson(batch, resource));
    expect(json).toEqual(expected);
    expect(readJsonRequest(json)).toEqual(expected);
  });

  test('no resource attributes: no resource; no description or unit: none written', () => {
    const bare = [point('job', { key: 'n', type: 'float', kind: 'gauge', help: '' }, 1)];
    const message = {
      resourceMetrics: [{ scopeMetrics: [{ scope, metrics: [{ name: 'job.n', gauge: { dataPoints: [{ ...times, asDouble: 1 }] } }] }] }],
    };
    expect(decodeRequest(otlpProtobuf(bare, {}))).toEqual(message);
    expect(jsonOf(otlpJson(bare, {}))).toEqual(message);
  });

  test('points of several renders: one metric per name, its points in batch order with their own times', () => {
    const field = { key: 'n', type: 'integer', kind: 'counter' } as const;
    const later = TIME + 10_000_000_000n;
    const two = [point('job', field, 1), point('job', { key: 'm', type: 'float', kind: 'gauge' }, 0.5), point('job', field, 2, {}, later)];
    const metrics = (decodeRequest(otlpProtobuf(two, {})) as typeof expected).resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    expect(
      metrics.map((metric) => [
        metric.name,
        ((metric.sum ?? metric.gauge)!.dataPoints as { timeUnixNano: string; asInt?: string; asDouble?: number }[]).map((p) => [
          p.timeUnixNano,
          p.asInt ?? p.asDouble,
        ]),
      ]),
    ).toEqual([
      [
        'job.n',
        [
          [String(TIME), '1'],
          [String(later), '2'],
        ],
      ],
      ['job.m', [[String(TIME), 0.5]]],
    ]);
  });

  test('a histogram of no observations: its count, 0, not written (the default), its sum 0 written (optional), its zero counts', () => {
    const empty = [
      point('job', { key: 'w', type: 'float', kind: 'histogram', buckets: [1] }, { bounds: [1], counts: [0, 0], count: 0, sum: 0 }),
    ];
    const histogram = {
      histogram: { dataPoints: [{ ...times, sum: 0, bucketCounts: ['0', '0'], explicitBounds: [1] }], aggregationTemporality: 2 },
    };
    const message = {
      resourceMetrics: [{ scopeMetrics: [{ scope, metrics: [{ name: 'job.w', description: 'w of job', ...histogram }] }] }],
    };
    expect(decodeRequest(otlpProtobuf(empty, {}))).toEqual(message);
    expect(jsonOf(otlpJson(empty, {}))).toEqual(message);
    expect(readJsonRequest(message)).toEqual(message);
  });

  test("an integer field's value that is not a whole number is a double; JSON writes a double JSON has no number for as proto3 does", () => {
    const odd = [
      point('job', { key: 'n', type: 'integer', kind: 'gauge' }, 1.5),
      point('job', { key: 'x', type: 'float', kind: 'gauge' }, Number.NaN),
      point('job', { key: 'y', type: 'float', kind: 'gauge' }, Number.NEGATIVE_INFINITY),
    ];
    const values = (message: unknown) =>
      (message as typeof expected).resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((metric) => metric.gauge!.dataPoints[0]);
    expect(values(jsonOf(otlpJson(odd, {})))).toEqual([
      { ...times, asDouble: 1.5 },
      { ...times, asDouble: 'NaN' },
      { ...times, asDouble: '-Infinity' },
    ]);
    expect(values(readJsonRequest(jsonOf(otlpJson(odd, {}))))).toEqual([
      { ...times, asDouble: 1.5 },
      { ...times, asDouble: Number.NaN },
      { ...times, asDouble: Number.NEGATIVE_INFINITY },
    ]);
    expect(values(decodeRequest(otlpProtobuf(odd, {})))).toEqual([
      { ...times, asDouble: 1.5 },
      { ...times, asDouble: Number.NaN },
      { ...times, asDouble: Number.NEGATIVE_INFINITY },
    ]);
  });
});
