// `@runometer/otel`: a meter's fields as observable instruments of the OpenTelemetry API, and the
// names they take there. The MetricProducer for sdk-metrics readers is `@runometer/otel/producer`.
export { registerInstruments, type InstrumentsOptions, type RegisteredInstruments } from './instruments.js';
export { SEMANTIC_NAMES, type SemanticName, type OtelInstrument } from './semantic-names.js';
export { otelField, UCUM, type OtelField, type FieldDescription } from './otel-field.js';
