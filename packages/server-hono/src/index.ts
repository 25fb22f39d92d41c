export { createApp, type AppOptions } from './app.js';
export { metrics, type MetricsOptions, type MetricsAuth } from './metrics.js';
export { serve, serveApp, type ServeOptions, type ListenOptions, type ServerHandle } from './serve.js';
