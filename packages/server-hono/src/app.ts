import type { SnapshotSource } from '@runometer/core';
import type { Hono } from 'hono';
import { endpointApp } from './fixed-path-router.js';
import { endpoint, type MetricsOptions } from './metrics.js';

export interface AppOptions extends MetricsOptions {
  /**
   * The one path the metrics are served at (with or without a trailing slash). Default: both
   * `/`, where Telegraf's inputs.http of the Pharometer post looks, and `/metrics`, where
   * Prometheus looks.
   */
  readonly path?: string;
}

/** Where the metrics are served when no path is given. */
const DEFAULT_PATHS = ['/', '/metrics'] as const;

/** Where the live view of the endpoint at `path` is: `<path>/view`. */
function viewPath(path: string): string {
  return `${path.replace(/\/+$/, '')}/view`;
}

/** A path and its twin with or without the trailing slash. */
function withAndWithoutSlash(path: string): string[] {
  if (path === '/') return [path];
  const bare = path.replace(/\/+$/, '');
  return [bare, `${bare}/`];
}

/**
 * A Hono app that serves `source` (a meter, or any SnapshotSource) at `/` and `/metrics`, or only
 * at `options.path`, and the live view of each at `<path>/view`; every other path is 404, after
 * the same Host check and auth as the endpoint when the app is served on its own (routed into
 * another app, that app's own 404 answers instead).
 */
export function createApp(source: SnapshotSource, options: AppOptions = {}): Hono {
  const { path, ...metricsOptions } = options;
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/')))
    throw new TypeError(`path must start with "/", got ${JSON.stringify(path)}`);
  const { metrics, view, notFound } = endpoint(source, metricsOptions);
  const app = endpointApp();
  for (const served of path === undefined ? DEFAULT_PATHS : [path]) {
    for (const variant of withAndWithoutSlash(served)) app.all(variant, metrics);
    for (const variant of withAndWithoutSlash(viewPath(served))) app.all(variant, view);
  }
  app.notFound(notFound);
  return app;
}
