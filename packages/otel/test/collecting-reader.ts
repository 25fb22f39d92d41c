import { MetricReader, type MetricData, type MetricProducer, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** A reader that exports nothing: a test calls `collect()` and reads what the SDK gathered, as any exporter would get it. */
export class CollectingReader extends MetricReader {
  constructor(metricProducers: MetricProducer[] = []) {
    super({ metricProducers });
  }

  protected override async onForceFlush(): Promise<void> {}

  protected override async onShutdown(): Promise<void> {}
}

/** The metrics of the scope `name` in what a reader collected. */
export function scopeMetrics(resourceMetrics: ResourceMetrics, name = '@runometer/otel'): MetricData[] {
  return resourceMetrics.scopeMetrics.filter(({ scope }) => scope.name === name).flatMap(({ metrics }) => metrics);
}

/** A metric as a test compares it: its descriptor, point type, monotonicity and points, without their times. */
export function plain(metric: MetricData) {
  return {
    name: metric.descriptor.name,
    unit: metric.descriptor.unit,
    valueType: metric.descriptor.valueType,
    description: metric.descriptor.description,
    dataPointType: metric.dataPointType,
    ...('isMonotonic' in metric ? { isMonotonic: metric.isMonotonic } : {}),
    points: metric.dataPoints.map(({ attributes, value }) => ({ attributes, value })),
  };
}
