import { expect, test } from 'vitest';
import * as root from './index.js';

// The root is what an app and a preset author need; what only the packages that serve, read or
// check a format need is on `@runometer/core/format`. A name added here is a deliberate choice.
test('the root exports at most 35 runtime names, these', () => {
  const names = Object.keys(root).sort();
  expect(names.length).toBeLessThanOrEqual(35);
  expect(names).toEqual([
    'BucketLayout',
    'ContextUnavailableError',
    'FIELD_KINDS',
    'FIELD_TYPES',
    'FIELD_UNITS',
    'FORMATS',
    'HistogramRecorder',
    'Lifecycle',
    'PermissionDeniedError',
    'RegistrationError',
    'RenderError',
    'RollingWindow',
    'Runometer',
    'SharedWork',
    'catalogOf',
    'container',
    'contextBuilder',
    'decoratorsFor',
    'field',
    'inject',
    'injectable',
    'isPermissionDenied',
    'negotiate',
    'preset',
    'presetRegistry',
    'redactUrl',
    'series',
    'singleton',
    'snapshotsOf',
    'tag',
    'toJson',
    'toLineProtocol',
    'toOpenMetrics',
    'toPrometheus',
    'toPrometheusProtobuf',
  ]);
});
