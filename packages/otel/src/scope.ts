import { VERSION } from './version.js';

/** The instrumentation scope of every metric this package gives OpenTelemetry. */
export const SCOPE = Object.freeze({ name: '@runometer/otel', version: VERSION });
