export { HttpPreset } from './http-preset.js';
export {
  HttpRecorder,
  HttpSeries,
  WINDOW_SECONDS,
  DURATION_BUCKETS,
  DURATION_NATIVE,
  DEFAULT_ROUTE_LIMIT,
  OVERFLOW_ROUTE,
  UNMATCHED_ROUTE,
  METHODS,
  STATUS_CLASSES,
  ABORTED_STATUS,
  MAX_COUNTED_BODY_BYTES,
  type HttpSeriesReading,
} from './http-recorder.js';
export type { DurationPercentiles } from './duration-window.js';
export { withHttpMetrics, type NodeHttpMetricsOptions } from './node-http.js';
export { expressHttpMetrics, type ExpressMetricsOptions } from './express.js';
export {
  recordServerChannels,
  REQUEST_START_CHANNEL,
  FASTIFY_HANDLER_CHANNEL,
  type ServerChannelsOptions,
  type ServerChannelsHandle,
} from './server-channels.js';
