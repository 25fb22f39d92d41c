// `@runometer/otel/data`: snapshots as OpenTelemetry's metrics data (names, instruments, units,
// attributes, points), with no OpenTelemetry package: what the producer hands the SDK and what
// `@runometer/push` writes as OTLP, from one mapping.
export { OtelMetrics, type OtelMetric, type OtelPoint, type Attributes } from './otel-metrics.js';
export { PresetUnits } from './preset-units.js';
export { SCOPE } from './scope.js';
export { PROCESS_START_NS, dataTypeOf, histogramPoint, type DataType, type HistogramPoint } from './data-points.js';
export type { OtelField } from './otel-field.js';
