import { DataPointType, MeterProvider, type MetricData } from '@opentelemetry/sdk-metrics';
import { Runometer, snapshotsOf, type Snapshot, type SnapshotSource } from '@runometer/core';
import { PROCESS_START_NS } from '@runometer/otel/data';
import { runometerProducer } from '@runometer/otel/producer';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { describe, expect, test } from 'vitest';
import { CollectingReader, scopeMetrics } from '../../otel/test/collecting-reader.js';
import { kindsMeter } from '../../otel/test/kinds-meter.js';
import { UNITS_METER_UCUM, unitsMeter } from '../../otel/test/units-meter.js';
import type { Render, TargetAnswer } from './encoder.js';
import { otlpEncoder } from './otlp-encoder.js';
import type { OtlpPoint } from './otlp-request.js';
import { decodeRequest, partialSuccessBytes, readJsonRequest, statusBytes } from '../test/otlp-proto.js';

const STAMP = 1_765_000_000_000_000_000n;

/** One render of `source` as the pusher gives it to its encoder: every snapshot stamped. */
async function render(source: SnapshotSource, stamp = STAMP): Promise<Snapshot[]> {
  return snapshotsOf(await source.collect()).map((snapshot) => ({ ...snapshot, timestamp: stamp }));
}

const quiet = (source: SnapshotSource): Render => ({
  source,
  report: (problem) => {
    throw problem;
  },
});

type Decoded = {
  resourceMetrics: {
    scopeMetrics: { scope: unknown; metrics: Record<string, { dataPoints?: Record<string, unknown>[] } & Record<string, unknown>>[] }[];
  }[];
};

/** A metric as the producer's and the pusher's are compared: name, unit, description, type, monotonicity, value type, points. */
interface Shape {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  readonly type: string | undefined;
  readonly monotonic?: boolean;
  readonly integer: boolean;
  readonly points: readonly { readonly attributes: Readonly<Record<string, unknown>>; readonly value: unknown }[];
}

function metricsOfRequest(bytes: Uint8Array): Shape[] {
  const { resourceMetrics } = decodeRequest(bytes) as Decoded;
  return resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((metric) => {
    const type = (['gauge', 'sum', 'histogram'] as const).find((name) => metric[name] !== undefined)!;
    const data = metric[type] as { dataPoints: Record<string, unknown>[]; isMonotonic?: boolean };
    const attributes = (point: Record<string, unknown>) =>
      Object.fromEntries(
        ((point['attributes'] ?? []) as { key: string; value: { stringValue: string } }[]).map(({ key, value }) => [
          key,
          value.stringValue,
        ]),
      );
    return {
      name: String(metric['name']),
      unit: String(metric['unit'] ?? ''),
      description: String(metric['description'] ?? ''),
      type,
      ...(type === 'sum' ? { monotonic: data.isMonotonic ?? false } : {}),
      integer: data.dataPoints.some((point) => point['asInt'] !== undefined),
      points: data.dataPoints.map((point) => ({
        attributes: attributes(point),
        value:
          type === 'histogram'
            ? {
                bounds: point['explicitBounds'] ?? [],
                counts: (point['bucketCounts'] as string[]).map(Number),
                sum: point['sum'],
                count: Number(point['count']),
              }
            : Number(point['asInt'] ?? point['asDouble']),
      })),
    };
  });
}

const TYPES = { [DataPointType.GAUGE]: 'gauge', [DataPointType.SUM]: 'sum', [DataPointType.HISTOGRAM]: 'histogram' } as Record<
  number,
  string
>;

/** What the producer gives an sdk-metrics reader, in the same terms. */
function metricsOfProducer(metrics: MetricData[]): Shape[] {
  return metrics.map((metric) => ({
    name: metric.descriptor.name,
    unit: metric.descriptor.unit,
    description: metric.descriptor.description,
    type: TYPES[metric.dataPointType],
    ...('isMonotonic' in metric ? { monotonic: metric.isMonotonic } : {}),
    integer: metric.descriptor.valueType === 0,
    points: metric.dataPoints.map(({ attributes, value }) => ({
      attributes,
      value:
        typeof value === 'number'
          ? value
          : {
              bounds: (value as { buckets: { boundaries: number[] } }).buckets.boundaries,
              counts: (value as { buckets: { counts: number[] } }).buckets.counts,
              sum: (value as { sum: number }).sum,
              count: (value as { count: number }).count,
            },
    })),
  }));
}

async function throughProducer(source: SnapshotSource): Promise<MetricData[]> {
  const reader = new CollectingReader([runometerProducer(source)]);
  const provider = new MeterProvider({ readers: [reader] });
  try {
    return scopeMetrics((await reader.collect()).resourceMetrics);
  } finally {
    await provider.shutdown();
  }
}

describe('otlpEncoder: what a render becomes', () => {
  test("every field named, typed, unit and valued as @runometer/otel's producer gives it, with the same attributes", async () => {
    const meter = kindsMeter();
    const encoder = otlpEncoder();
    const pushed = metricsOfRequest(encoder.body(encoder.points(await render(meter), quiet(meter))));
    expect(pushed).toEqual(metricsOfProducer(await throughProducer(meter)));
    expect(pushed.map(({ name, type }) => `${name} ${type}`)).toEqual([
      'app.temperature gauge',
      'app.queue_depth gauge',
      'app.jobs_total sum',
      'app.ready gauge',
      'app.wait_seconds histogram',
      'process.memory.usage sum',
      'process.cpu.time sum',
      'v8js.memory.heap.used sum',
    ]);
  });

  test('a field the app adds, of the meter or a series, goes out in the UCUM of the unit it declares; one that declares none with none', async () => {
    const meter = unitsMeter();
    const decoders = {
      'http/protobuf': decodeRequest,
      'http/json': (body: Uint8Array) => readJsonRequest(JSON.parse(new TextDecoder().decode(body))),
    };
    for (const [protocol, decode] of Object.entries(decoders) as [keyof typeof decoders, (body: Uint8Array) => unknown][]) {
      const encoder = otlpEncoder({ protocol });
      const { resourceMetrics } = decode(encoder.body(encoder.points(await render(meter), quiet(meter)))) as Decoded;
      const { metrics } = resourceMetrics[0]!.scopeMetrics[0]!;
      expect(Object.fromEntries(metrics.map((metric) => [metric['name'], metric['unit'] ?? '']))).toEqual(UNITS_METER_UCUM);
      expect(metrics.filter((metric) => 'unit' in metric).map((metric) => metric['name'])).toEqual(
        Object.keys(UNITS_METER_UCUM).filter((name) => UNITS_METER_UCUM[name] !== ''),
      );
    }
  });

  test("the presets' fields: the same names, units (from their declarations), types and attributes as the producer's", async () => {
    const meter = new Runometer('node').addTag('app', 'checkout').use(MemoryPreset, OtherPreset);
    try {
      const encoder = otlpEncoder();
      const shapes = (metrics: Shape[]) =>
        metrics.map(({ points, ...descriptor }) => ({ ...descriptor, attributes: points.map((point) => point.attributes) }));
      const pushed = shapes(metricsOfRequest(encoder.body(encoder.points(await render(meter), quiet(meter)))));
      expect(pushed).toEqual(shapes(metricsOfProducer(await throughProducer(meter))));
      expect(pushed.find(({ name }) => name === 'process.memory.usage')).toMatchObject({
        unit: 'By',
        type: 'sum',
        monotonic: false,
        integer: true,
      });
      expect(pushed.find(({ name }) => name === 'node.heap_used_bytes')).toMatchObject({ unit: 'By', type: 'gauge' });
    } finally {
      await meter.close();
    }
  });

  test("each point ends at its snapshot's timestamp and starts when the process started", async () => {
    const meter = new Runometer('job').addField('n', () => 1, { kind: 'counter' });
    const [one] = otlpEncoder().points(await render(meter, 42n), quiet(meter)) as OtlpPoint[];
    // The process's one start, which @runometer/otel/data's own test ties to performance.timeOrigin to the nanosecond.
    expect([one!.time, one!.start]).toEqual([42n, PROCESS_START_NS]);
  });

  test('a name two fields would give two shapes: the second left out, reported once without failing the render', async () => {
    const snapshots = async () => [
      ...(await render(new Runometer('app').addField('jobs', () => 1))),
      ...(await render(new Runometer('app').addTag('w', '2').addField('jobs', () => 2, { kind: 'counter' }))),
    ];
    const reported: Error[] = [];
    const source = { collect: snapshots };
    const encoder = otlpEncoder();
    const context = { source, report: (problem: Error) => reported.push(problem) };
    expect((encoder.points(await snapshots(), context) as OtlpPoint[]).map((point) => point.value)).toEqual([1]);
    expect(encoder.points(await snapshots(), context)).toHaveLength(1);
    expect(reported.map((problem) => problem.message)).toEqual([
      'field "jobs" of "app" is left out: it would be a counter of doubles in "" named "app.jobs", which another field took first as a gauge of doubles in ""',
    ]);
  });

  test('protocol and resource: the content type and body they say; a bad one throws, naming it', () => {
    expect(otlpEncoder().contentType).toBe('application/x-protobuf');
    expect(otlpEncoder({ protocol: 'http/json' }).contentType).toBe('application/json');
    expect(() => otlpEncoder({ protocol: 'grpc' as never })).toThrow(
      'otlpEncoder option protocol is "grpc", which the pusher does not speak (fetch has no HTTP/2 trailers): give http/protobuf or http/json, and the receiver\'s OTLP/HTTP endpoint (port 4318)',
    );
    expect(() => otlpEncoder({ protocol: 'http/xml' as never })).toThrow(
      'otlpEncoder option protocol must be http/protobuf or http/json, got "http/xml"',
    );
    expect(() => otlpEncoder({ resource: { 'service.name': 3 } as never })).toThrow(
      'otlpEncoder option resource["service.name"] must be a string, got number',
    );
  });
});

const answer = (contentType: string, body: string | Uint8Array): TargetAnswer => {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return { bytes, text: new TextDecoder().decode(bytes), contentType };
};
const batchOf = (size: number) => Array.from({ length: size }, () => ({}) as OtlpPoint);

describe("otlpEncoder: a receiver's answers", () => {
  const protobuf = otlpEncoder();
  const json = otlpEncoder({ protocol: 'http/json' });

  test('a partial_success that rejects data points (a Collector, in protobuf or JSON): that many refused, never more than the batch', () => {
    expect(
      protobuf.partialRefusal!(answer('application/x-protobuf', partialSuccessBytes(2, 'dropped 2 points: out of order')), batchOf(5)),
    ).toEqual({
      message: 'dropped 2 points: out of order (partial_success)',
      count: 2,
      lines: [],
    });
    expect(
      json.partialRefusal!(
        answer('application/json', '{"partialSuccess":{"rejectedDataPoints":"9","errorMessage":"too old"}}'),
        batchOf(5),
      ),
    ).toEqual({
      message: 'too old (partial_success)',
      count: 5,
      lines: [],
    });
    expect(json.partialRefusal!(answer('application/json', '{"partial_success":{"rejected_data_points":1}}'), batchOf(5))).toEqual({
      message: 'partial_success without an error_message (partial_success)',
      count: 1,
      lines: [],
    });
    // Without a Content-Type, the answer is read as the request was written.
    expect(protobuf.partialRefusal!(answer('', partialSuccessBytes(1, 'x')), batchOf(5))?.count).toBe(1);
  });

  test('a success that rejects nothing: an empty body (Prometheus, VictoriaMetrics), {}, a warning with 0 rejected, a page, bytes that are no message', () => {
    const none = [
      protobuf.partialRefusal!(answer('application/x-protobuf', new Uint8Array(0)), batchOf(3)),
      protobuf.partialRefusal!(answer('', new Uint8Array(0)), batchOf(3)),
      json.partialRefusal!(answer('application/json', '{}'), batchOf(3)),
      protobuf.partialRefusal!(answer('application/x-protobuf', partialSuccessBytes(0, 'use http/protobuf')), batchOf(3)),
      json.partialRefusal!(answer('application/json', '{"partialSuccess":{"errorMessage":"deprecated"}}'), batchOf(3)),
      protobuf.partialRefusal!(answer('text/html', '<html>ok</html>'), batchOf(3)),
      protobuf.partialRefusal!(answer('application/x-protobuf', new Uint8Array([0x0a, 0x05, 0x08])), batchOf(3)),
      json.partialRefusal!(answer('application/json', 'not json'), batchOf(3)),
    ];
    expect(none).toEqual(Array(none.length).fill(undefined));
  });

  test("a 400: the whole batch refused, in the receiver's words (a Status in protobuf or JSON, VictoriaMetrics' text)", () => {
    expect(protobuf.refusal(answer('application/x-protobuf', statusBytes('metric name is empty')), batchOf(4))).toEqual({
      message: 'metric name is empty',
      count: 4,
      lines: [],
    });
    expect(json.refusal(answer('application/json', '{"code":3,"message":"bad temporality"}'), batchOf(2)).message).toBe('bad temporality');
    const victoria =
      'remoteAddr: "127.0.0.1:50000"; requestURI: /opentelemetry/v1/metrics; json encoding isn\'t supported for opentelemetry format. Use protobuf encoding\n';
    expect(json.refusal(answer('text/plain; charset=utf-8', victoria), batchOf(2))).toEqual({ message: victoria, count: 2, lines: [] });
  });

  test('describe: a Status message of a failure (503), or its text', () => {
    expect(protobuf.describe!(answer('application/x-protobuf', statusBytes('memory limit reached', 14)))).toBe('memory limit reached');
    expect(protobuf.describe!(answer('text/plain', 'upstream connect error'))).toBe('upstream connect error');
    expect(protobuf.describe!(answer('application/x-protobuf', new Uint8Array([0x12, 0x09, 0x61])))).toBe('\u0012\t' + 'a');
  });
});
