import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, test } from 'vitest';
import { toPrometheus } from './prometheus.js';
import { toPrometheusProtobuf } from './prometheus-protobuf.js';
import { HistogramRecorder } from '../preset/histogram-recorder.js';
import { Runometer } from '../runometer.js';

// Read back by protobufjs with client_model's own metrics.proto (v0.3.0, what Prometheus 2.42 reads).
const root = protobuf.loadSync(fileURLToPath(new URL('../../../../test/fixtures/metrics.proto', import.meta.url)));
const MetricFamily = root.lookupType('io.prometheus.client.MetricFamily');

/** Every MetricFamily of a delimited stream, as plain objects (enums by name, 64-bit integers as numbers). */
function decode(bytes: Uint8Array): Record<string, unknown>[] {
  const reader = protobuf.Reader.create(bytes);
  const families: Record<string, unknown>[] = [];
  while (reader.pos < reader.len) {
    families.push(MetricFamily.toObject(MetricFamily.decodeDelimited(reader), { enums: String, longs: Number, defaults: false }));
  }
  return families;
}

describe('toPrometheusProtobuf', () => {
  test('gauges, counters and booleans under the names, help and labels of the text format; strings left out', async () => {
    const meter = new Runometer('my-app.v2')
      .addTag('zone name', 'eu "west"\\1')
      .addField('2xx', () => 1.5, { help: 'Line one\nline \\ two' })
      .addField('bytes_total', () => 2n ** 60n, { type: 'integer', kind: 'counter' })
      .addField('up', () => true, { type: 'boolean' })
      .addField('version', () => '1.2.3', { type: 'string' })
      .addSeries('spaces', () => [{ tags: { space: 'old' }, fields: { size: 7 } }], {
        tags: ['space'],
        fields: { size: { type: 'integer' } },
      });
    const snapshot = await meter.collect();
    const zone = { name: 'zone_name', value: 'eu "west"\\1' };
    expect(decode(toPrometheusProtobuf(snapshot))).toEqual([
      { name: 'my_app_v2_2xx', help: 'Line one\nline \\ two', type: 'GAUGE', metric: [{ label: [zone], gauge: { value: 1.5 } }] },
      {
        name: 'my_app_v2_bytes_total',
        help: 'bytes_total of my-app.v2',
        type: 'COUNTER',
        metric: [{ label: [zone], counter: { value: 2 ** 60 } }],
      },
      { name: 'my_app_v2_up', help: 'up of my-app.v2', type: 'GAUGE', metric: [{ label: [zone], gauge: { value: 1 } }] },
      {
        name: 'my_app_v2_size',
        help: 'size of my-app.v2',
        type: 'GAUGE',
        metric: [{ label: [{ name: 'space', value: 'old' }, zone], gauge: { value: 7 } }],
      },
    ]);
    const textNames = [...toPrometheus(snapshot).matchAll(/^# TYPE (\S+)/gm)].map((match) => match[1]);
    expect(decode(toPrometheusProtobuf(snapshot)).map((family) => family.name)).toEqual(textNames);
  });

  test('several snapshots: one family per name, a repeated sample once, a name of another kind left out, as in the text format', async () => {
    const worker = (id: string) =>
      new Runometer('web')
        .addTag('worker', id)
        .addField('requests', () => Number(id), { type: 'integer', kind: 'counter' })
        .collect();
    const clash = await new Runometer('web_requests').addField('total', () => 9).collect();
    const snapshots = [await worker('1'), await worker('2'), await worker('1'), clash];
    expect(decode(toPrometheusProtobuf(snapshots))).toEqual([
      {
        name: 'web_requests_total',
        help: 'requests of web',
        type: 'COUNTER',
        metric: [
          { label: [{ name: 'worker', value: '1' }], counter: { value: 1 } },
          { label: [{ name: 'worker', value: '2' }], counter: { value: 2 } },
        ],
      },
    ]);
    expect(toPrometheus(snapshots)).not.toContain('web_requests_total 9');
  });

  test('a classic histogram: cumulative buckets without +Inf, the count and the sum, no native part', async () => {
    const durations = new HistogramRecorder([0.1, 1]);
    for (const seconds of [0.05, 0.5, 0.7, 3]) durations.record(seconds);
    const meter = new Runometer('app').addField('wait_seconds', () => durations.snapshot(), {
      kind: 'histogram',
      buckets: durations.bounds,
    });
    expect(decode(toPrometheusProtobuf(await meter.collect()))).toEqual([
      {
        name: 'app_wait_seconds',
        help: 'wait_seconds of app',
        type: 'HISTOGRAM',
        metric: [
          {
            histogram: {
              sampleCount: 4,
              sampleSum: 4.25,
              bucket: [
                { cumulativeCount: 1, upperBound: 0.1 },
                { cumulativeCount: 3, upperBound: 1 },
              ],
            },
          },
        ],
      },
    ]);
  });

  test('a native histogram: schema, zero threshold and count, spans over gaps of more than two buckets, deltas', async () => {
    const native = { schema: 0, zeroThreshold: 0.25 };
    const durations = new HistogramRecorder([1], native);
    // Schema 0: bucket i is (2^(i-1), 2^i]. 0.1 is in the zero bucket; 0.75 in 0; 1 in 0; 3 in 2; 4 in 2; 5 in 3; 100 in 7.
    for (const value of [0.1, 0.75, 1, 3, 4, 5, 100]) durations.record(value);
    const meter = new Runometer('app').addField('wait_seconds', () => durations.snapshot(), { kind: 'histogram', buckets: [1], native });
    const [family] = decode(toPrometheusProtobuf(await meter.collect()));
    expect(family!.metric).toEqual([
      {
        histogram: {
          sampleCount: 7,
          sampleSum: 113.85,
          bucket: [{ cumulativeCount: 3, upperBound: 1 }],
          schema: 0,
          zeroThreshold: 0.25,
          zeroCount: 1,
          // Buckets 0 to 3 (bucket 1 empty, inside the span), then 7 after a gap of three.
          positiveSpan: [
            { offset: 0, length: 4 },
            { offset: 3, length: 1 },
          ],
          positiveDelta: [2, -2, 2, -1, 0],
        },
      },
    ]);
  });

  test('a native histogram with no observation says it is native with a span of none', async () => {
    const native = { schema: 3, zeroThreshold: 2 ** -20 };
    const durations = new HistogramRecorder([1], native);
    const meter = new Runometer('app').addField('wait_seconds', () => durations.snapshot(), { kind: 'histogram', buckets: [1], native });
    const [family] = decode(toPrometheusProtobuf(await meter.collect()));
    expect(family!.metric).toEqual([
      {
        histogram: {
          sampleCount: 0,
          sampleSum: 0,
          bucket: [{ cumulativeCount: 0, upperBound: 1 }],
          schema: 3,
          zeroThreshold: 2 ** -20,
          zeroCount: 0,
          positiveSpan: [{ offset: 0, length: 0 }],
        },
      },
    ]);
  });

  test('no snapshot point: an empty body', async () => {
    expect(toPrometheusProtobuf([])).toEqual(new Uint8Array(0));
  });
});
