export { Runometer, type RunometerOptions, type PresetLifecycle, type Releasable, type PresetReference } from './runometer.js';
export type { FieldOptions, SeriesOptions, SeriesRow, SeriesResult, TagValue, TagResult } from './model/definitions.js';
export {
  FIELD_TYPES,
  FIELD_KINDS,
  FIELD_UNITS,
  type FieldType,
  type FieldKind,
  type FieldUnit,
  type FieldValue,
  type FieldResult,
  type ValueOfType,
  type ValueOfField,
} from './model/field-types.js';
export type { HistogramValue } from './model/histogram.js';
export type { NativeBuckets, NativeLayout } from './model/native-histogram.js';
export {
  preset,
  contextBuilder,
  field,
  tag,
  series,
  decoratorsFor,
  type PresetDecorators,
  type MethodDecoratorOf,
  type PresetOptions,
} from './preset/decorators.js';
export { presetRegistry, type PresetRegistry, type PresetClass } from './preset/registry.js';
// Every field a preset declares, as data: for READMEs, dashboards and tests.
export { catalogOf, type CatalogEntry } from './preset/catalog.js';
export {
  RegistrationError,
  RenderError,
  ContextUnavailableError,
  PermissionDeniedError,
  isPermissionDenied,
  type FaultSource,
  type FaultReason,
} from './model/errors.js';
export { toLineProtocol } from './format/line-protocol.js';
export {
  snapshotsOf,
  type Snapshot,
  type SnapshotSource,
  type Point,
  type Tag,
  type FieldSample,
  type FieldSpec,
} from './model/snapshot.js';
// Formats: any snapshot in any of them, and which one a request asks for. What the packages that
// serve, read or check a format need beyond these is on the `@runometer/core/format` subpath.
export { toPrometheus, toOpenMetrics } from './format/prometheus.js';
export { toPrometheusProtobuf } from './format/prometheus-protobuf.js';
export { toJson } from './format/json.js';
export { FORMATS, negotiate, type Format, type FormatName } from './format/formats.js';
// For anything that prints a URL (an error, a log line): credentials redacted.
export { redactUrl } from './redact-url.js';
// What a preset author needs from tsyringe, so that every preset shares core's one container.
export { container, inject, injectable, singleton, Lifecycle, type DependencyContainer, type InjectionToken } from './preset/di.js';
// For preset authors: snapshots for interval values, and observations counted into a histogram's buckets.
export { RollingWindow } from './preset/rolling-window.js';
export { HistogramRecorder, type NativeCopy } from './preset/histogram-recorder.js';
export { BucketLayout } from './preset/bucket-layout.js';
// For preset authors: background work shared by its users, and reads shared within one render.
export { SharedWork, type Lease } from './preset/shared-work.js';
export type { RenderScope } from './model/plan.js';
