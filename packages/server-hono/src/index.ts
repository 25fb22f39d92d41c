export { createApp, type AppOptions } from './app.js';
export { metricsApp, fetchHandler, requestListener } from './mount.js';
export { metrics, type MetricsOptions, type MetricsAuth, type AllowedHosts } from './metrics.js';
export { serve, serveApp, type ServeOptions, type ListenOptions, type ServerHandle } from './serve.js';
