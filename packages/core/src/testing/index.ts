// `@runometer/core/testing`: what a preset's tests need, for any test runner. Each assertion
// throws an Error whose message says what is wrong.
export { renderPreset, type RenderPresetOptions, type PresetRendering } from './render-preset.js';
export { assertValidLineProtocol, assertStableFieldTypes, unstableFieldTypes } from './line-protocol-assertions.js';
export { assertFaultIsolated } from './fault-assertions.js';
export { lintPrometheus, assertValidPrometheus, assertValidOpenMetrics } from './lint-prometheus.js';
