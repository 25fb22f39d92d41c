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
} from './model/field-types.js';
export { preset, contextBuilder, field, tag, series, decoratorsFor, type PresetDecorators, type MethodDecoratorOf, type PresetOptions } from './preset/decorators.js';
export { presetRegistry, PresetRegistry, type PresetClass } from './preset/registry.js';
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
export { toLineProtocol, formatString } from './format/line-protocol.js';
export { escapeMeasurement, escapeKey, normalizeTagValue } from './model/escaping.js';
export { snapshotsOf, type Snapshot, type SnapshotSource, type Point, type Tag, type FieldSample, type FieldSpec } from './model/snapshot.js';
// Formats: any snapshot in any of them, and which one a request asks for.
export { toPrometheus, toOpenMetrics } from './format/prometheus.js';
export { toJson } from './format/json.js';
export { FORMATS, FORMAT_NAMES, negotiate, preferred, formatSpecificity, type Format, type FormatName } from './format/formats.js';
export { parseAccept, ACCEPT_MAX_LENGTH, type MediaRange } from './format/accept.js';
// For formats that serve a snapshot to Prometheus: the names registration keeps apart.
export { metricName, labelName } from './model/prometheus-names.js';
export { compareByBytes } from './model/names.js';
// For code that takes points from another process (a cluster's primary): the checks a meter makes of its own.
export { checkMeasurement, checkKey } from './model/names.js';
export { MAX_SERIES_KEY_BYTES, seriesKeyOverflow } from './model/series-key.js';
// For anything that prints a URL (an error, a log line): credentials redacted.
export { redactUrl } from './redact-url.js';
// What a preset author needs from tsyringe, so that every preset shares core's one container.
export { container, inject, injectable, singleton, Lifecycle, type DependencyContainer, type InjectionToken } from './preset/di.js';
// For preset authors: snapshots for interval values.
export { RollingWindow } from './preset/rolling-window.js';
// For preset authors: background work shared by its users, and reads shared within one render.
export { SharedWork, type Lease } from './preset/shared-work.js';
export type { RenderScope } from './model/plan.js';
// A strict reader of line protocol, from the grammar of Telegraf's parser: for tests and linters.
export { parseLine, parseLines, type ParsedLine, type ParsedValue } from './format/parse-line-protocol.js';
