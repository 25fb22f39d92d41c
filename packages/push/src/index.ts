export { Pusher } from './pusher.js';
export type { PusherOptions } from './options.js';
export type { PushEncoder, Refusal } from './encoder.js';
export { lineProtocolEncoder } from './line-protocol-encoder.js';
export { PushError, type PushFailure } from './push-error.js';
export { PushHealth, type PushStats } from './push-health.js';
export { PushPreset } from './push-preset.js';
export { MAX_RETRY_AFTER_MS } from './backoff.js';
