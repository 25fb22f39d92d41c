import type { Runometer } from '@runometer/core';
import { Hono } from 'hono';
import { metrics, type MetricsOptions } from './metrics.js';

export interface AppOptions extends MetricsOptions {
  /** Where the metrics are served. Default `/`, where Telegraf's inputs.http of the Pharometer post looks. */
  readonly path?: string;
}

/**
 * A Hono app that serves `meter` at `options.path`; every other path is 404. It mounts in an
 * app of your own: `app.route('/metrics', createApp(meter))`.
 */
export function createApp(meter: Runometer<any>, options: AppOptions = {}): Hono {
  const { path = '/', ...metricsOptions } = options;
  if (typeof path !== 'string' || !path.startsWith('/')) throw new TypeError(`path must start with "/", got ${JSON.stringify(path)}`);
  return new Hono().all(path, metrics(meter, metricsOptions));
}
