// OTLP's ExportMetricsServiceRequest, written by hand from the official definitions
// (opentelemetry-proto: collector/metrics/v1/metrics_service.proto, metrics/v1/metrics.proto,
// common/v1/common.proto, resource/v1/resource.proto): as protobuf, and as the JSON that
// OTLP/HTTP maps it to (lowerCamelCase keys, 64-bit integers as decimal strings, enums as
// integers). `otlp-request.test.ts` decodes both with protobufjs from those files.
import { ProtobufWriter } from '@runometer/core/format';
import { dataTypeOf, SCOPE, type Attributes, type HistogramPoint, type OtelField } from '@runometer/otel/data';

/** One data point waiting to be pushed: the unit the buffer bounds and OTLP's `rejected_data_points` counts. */
export interface OtlpPoint {
  /** The metric it belongs to (the first field of its name in its render): name, description, unit, type. */
  readonly field: OtelField;
  readonly attributes: Attributes;
  /** Nanoseconds since the epoch: its render's time. */
  readonly time: bigint;
  /** When its cumulative count began (nanoseconds since the epoch). */
  readonly start: bigint;
  readonly value: number | HistogramPoint;
}

/** A batch's points by metric name, in the order the names first appear, points in batch order. */
function byMetric(batch: readonly OtlpPoint[]): Map<string, OtlpPoint[]> {
  const metrics = new Map<string, OtlpPoint[]>();
  for (const point of batch) {
    const points = metrics.get(point.field.name);
    if (points === undefined) metrics.set(point.field.name, [point]);
    else points.push(point);
  }
  return metrics;
}

/** `AGGREGATION_TEMPORALITY_CUMULATIVE`: core's counters and histograms count from the process's start. */
const CUMULATIVE = 2;

/** An integer point is `as_int` (sfixed64), as the SDK writes a `ValueType.INT` instrument's; any other `as_double`. */
const isInteger = (field: OtelField, value: number) => field.integer && Number.isInteger(value);

// Field numbers, from the .proto files.
const REQUEST = { resourceMetrics: 1 } as const;
const RESOURCE_METRICS = { resource: 1, scopeMetrics: 2 } as const;
const RESOURCE = { attributes: 1 } as const;
const SCOPE_METRICS = { scope: 1, metrics: 2 } as const;
const SCOPE_FIELDS = { name: 1, version: 2 } as const;
const METRIC = { name: 1, description: 2, unit: 3, gauge: 5, sum: 7, histogram: 9 } as const;
const DATA = { dataPoints: 1, aggregationTemporality: 2, isMonotonic: 3 } as const;
const NUMBER_POINT = { startTime: 2, time: 3, asDouble: 4, asInt: 6, attributes: 7 } as const;
const HISTOGRAM_POINT = { startTime: 2, time: 3, count: 4, sum: 5, bucketCounts: 6, explicitBounds: 7, attributes: 9 } as const;
const KEY_VALUE = { key: 1, value: 2 } as const;
const ANY_VALUE = { stringValue: 1 } as const;

function writeAttributes(writer: ProtobufWriter, field: number, attributes: Attributes): void {
  for (const key in attributes) {
    writer.open(field).string(KEY_VALUE.key, key);
    writer.open(KEY_VALUE.value).string(ANY_VALUE.stringValue, attributes[key]!).close();
    writer.close();
  }
}

function writePoint(writer: ProtobufWriter, { field, attributes, time, start, value }: OtlpPoint): void {
  writer.open(DATA.dataPoints);
  if (typeof value === 'number') {
    writer.fixed64(NUMBER_POINT.startTime, start).fixed64(NUMBER_POINT.time, time);
    // sfixed64: a negative integer as its two's complement, which fixed64 writes of a bigint.
    if (isInteger(field, value)) writer.fixed64(NUMBER_POINT.asInt, BigInt(value));
    else writer.double(NUMBER_POINT.asDouble, value);
    writeAttributes(writer, NUMBER_POINT.attributes, attributes);
  } else {
    writer.fixed64(HISTOGRAM_POINT.startTime, start).fixed64(HISTOGRAM_POINT.time, time);
    // A count of 0 is proto3's default, which is not written (the sum is `optional`: written, even 0).
    if (value.count > 0) writer.fixed64(HISTOGRAM_POINT.count, value.count);
    writer.double(HISTOGRAM_POINT.sum, value.sum);
    writer.open(HISTOGRAM_POINT.bucketCounts).packedFixed64(value.counts).close();
    if (value.bounds.length > 0) writer.open(HISTOGRAM_POINT.explicitBounds).packedDouble(value.bounds).close();
    writeAttributes(writer, HISTOGRAM_POINT.attributes, attributes);
  }
  writer.close();
}

function writeMetric(writer: ProtobufWriter, points: readonly OtlpPoint[]): void {
  const { field } = points[0]!;
  writer.open(SCOPE_METRICS.metrics).string(METRIC.name, field.name);
  if (field.description !== '') writer.string(METRIC.description, field.description);
  if (field.unit !== '') writer.string(METRIC.unit, field.unit);
  const dataType = dataTypeOf(field.instrument);
  writer.open(METRIC[dataType.type]);
  for (const point of points) writePoint(writer, point);
  if (dataType.type !== 'gauge') writer.uint(DATA.aggregationTemporality, CUMULATIVE);
  if (dataType.type === 'sum' && dataType.monotonic) writer.bool(DATA.isMonotonic, true);
  writer.close().close();
}

const writer = new ProtobufWriter();

/** The request as `application/x-protobuf`: one ResourceMetrics of `resource`, one scope, the batch's metrics. */
export function otlpProtobuf(batch: readonly OtlpPoint[], resource: Attributes): Uint8Array<ArrayBuffer> {
  writer.reset();
  writer.open(REQUEST.resourceMetrics);
  if (Object.keys(resource).length > 0) {
    writer.open(RESOURCE_METRICS.resource);
    writeAttributes(writer, RESOURCE.attributes, resource);
    writer.close();
  }
  writer.open(RESOURCE_METRICS.scopeMetrics);
  writer.open(SCOPE_METRICS.scope).string(SCOPE_FIELDS.name, SCOPE.name).string(SCOPE_FIELDS.version, SCOPE.version).close();
  for (const points of byMetric(batch).values()) writeMetric(writer, points);
  writer.close().close();
  return writer.finish();
}

const jsonAttributes = (attributes: Attributes) =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: { stringValue: value } }));

/** A double in proto3's JSON mapping: a number, or "NaN", "Infinity", "-Infinity", which JSON has no number for. */
const jsonDouble = (value: number): number | string => (Number.isFinite(value) ? value : String(value));

function jsonPoint({ field, attributes, time, start, value }: OtlpPoint): Record<string, unknown> {
  const times = { startTimeUnixNano: String(start), timeUnixNano: String(time) };
  const attributeList = Object.keys(attributes).length > 0 ? { attributes: jsonAttributes(attributes) } : {};
  if (typeof value === 'number') {
    const number = isInteger(field, value) ? { asInt: BigInt(value).toString() } : { asDouble: jsonDouble(value) };
    return { ...attributeList, ...times, ...number };
  }
  return {
    ...attributeList,
    ...times,
    ...(value.count > 0 ? { count: String(value.count) } : {}),
    sum: jsonDouble(value.sum),
    bucketCounts: value.counts.map(String),
    ...(value.bounds.length > 0 ? { explicitBounds: value.bounds.map(jsonDouble) } : {}),
  };
}

function jsonMetric(points: readonly OtlpPoint[]): Record<string, unknown> {
  const { field } = points[0]!;
  const dataType = dataTypeOf(field.instrument);
  const data: Record<string, unknown> = { dataPoints: points.map(jsonPoint) };
  if (dataType.type !== 'gauge') data['aggregationTemporality'] = CUMULATIVE;
  if (dataType.type === 'sum' && dataType.monotonic) data['isMonotonic'] = true;
  return {
    name: field.name,
    ...(field.description === '' ? {} : { description: field.description }),
    ...(field.unit === '' ? {} : { unit: field.unit }),
    [dataType.type]: data,
  };
}

const utf8 = new TextEncoder();

/** The request as `application/json`, the same message as `otlpProtobuf`'s. */
export function otlpJson(batch: readonly OtlpPoint[], resource: Attributes): Uint8Array<ArrayBuffer> {
  const scopeMetrics = [{ scope: { name: SCOPE.name, version: SCOPE.version }, metrics: [...byMetric(batch).values()].map(jsonMetric) }];
  const resourceMetrics =
    Object.keys(resource).length > 0 ? { resource: { attributes: jsonAttributes(resource) }, scopeMetrics } : { scopeMetrics };
  return utf8.encode(JSON.stringify({ resourceMetrics: [resourceMetrics] }));
}
