// `@runometer/otel/producer`: a source of snapshots as a MetricProducer of `@opentelemetry/sdk-metrics`.
import { ValueType, type HrTime } from '@opentelemetry/api';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type CollectionResult,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import { snapshotsOf, type HistogramValue, type SnapshotSource } from '@runometer/core';
import { PROCESS_START_NS, dataTypeOf, histogramPoint, nanosecondsOf } from './data-points.js';
import { OtelMetrics, type Attributes, type OtelMetric } from './otel-metrics.js';
import { SCOPE } from './scope.js';

const NANOS_PER_SECOND = 1_000_000_000n;

function hrTimeOfNanoseconds(nanoseconds: bigint): HrTime {
  return [Number(nanoseconds / NANOS_PER_SECOND), Number(nanoseconds % NANOS_PER_SECOND)];
}

const PROCESS_START = hrTimeOfNanoseconds(PROCESS_START_NS);

function metricData({ field, points }: OtelMetric, endTime: HrTime): MetricData {
  const descriptor = {
    name: field.name,
    description: field.description,
    unit: field.unit,
    valueType: field.integer ? ValueType.INT : ValueType.DOUBLE,
  };
  const aggregationTemporality = AggregationTemporality.CUMULATIVE;
  const timed = <T>(value: T, attributes: Attributes) => ({
    startTime: PROCESS_START,
    endTime,
    attributes,
    value,
  });
  const dataType = dataTypeOf(field.instrument);
  switch (dataType.type) {
    case 'histogram':
      return {
        descriptor,
        aggregationTemporality,
        dataPointType: DataPointType.HISTOGRAM,
        dataPoints: points.map(({ attributes, value }) => {
          const { bounds, counts, count, sum } = histogramPoint(field, value as HistogramValue);
          return timed({ buckets: { boundaries: [...bounds], counts: [...counts] }, sum, count }, attributes);
        }),
      };
    case 'gauge':
      return {
        descriptor,
        aggregationTemporality,
        dataPointType: DataPointType.GAUGE,
        dataPoints: points.map(({ attributes, value }) => timed(value as number, attributes)),
      };
    case 'sum':
      return {
        descriptor,
        aggregationTemporality,
        dataPointType: DataPointType.SUM,
        isMonotonic: dataType.monotonic,
        dataPoints: points.map(({ attributes, value }) => timed(value as number, attributes)),
      };
  }
}

/**
 * A MetricProducer for `@opentelemetry/sdk-metrics` readers (`metricProducers` of
 * `PeriodicExportingMetricReader`, `PrometheusExporter`, any `MetricReader`): each `collect()`
 * collects `source` once and gives its fields as metrics of the scope `@runometer/otel`. What the
 * source leaves out (a field that threw, timed out or gave a bad value) is absent, as in every
 * format; a source that rejects (a closed meter) gives no metrics and its error in `errors`, so the
 * reader still exports the SDK's own. The SDK puts its own Resource on the metrics.
 */
export function runometerProducer(source: SnapshotSource): MetricProducer {
  const metrics = new OtelMetrics();
  const resource = emptyResource();
  return {
    async collect(): Promise<CollectionResult> {
      const errors: Error[] = [];
      let collected;
      try {
        collected = snapshotsOf(await source.collect());
      } catch (error) {
        return { resourceMetrics: { resource, scopeMetrics: [] }, errors: [error] };
      }
      const now = hrTimeOfNanoseconds(nanosecondsOf(Date.now()));
      const data = [...metrics.collect(collected, errors).values()].map((metric) => metricData(metric, now));
      return { resourceMetrics: { resource, scopeMetrics: [{ scope: SCOPE, metrics: data }] }, errors };
    },
  };
}
