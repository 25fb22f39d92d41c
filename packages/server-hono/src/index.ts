export { createApp, type AppOptions } from './app.js';
export { metrics, type MetricsOptions, type MetricsAuth } from './metrics.js';
export { serve, serveApp, type ServeOptions, type ListenOptions, type ServerHandle } from './serve.js';
export { FORMATS, negotiate, type Format, type FormatName } from './formats.js';
export { toPrometheus, toOpenMetrics } from './prometheus.js';
export { toJson } from './json.js';
