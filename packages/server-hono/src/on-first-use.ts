import type { MiddlewareHandler } from 'hono';

/**
 * Hono middleware that `load` makes, loaded by the first request that goes through it rather than
 * with the package: compression for codings other than gzip, and auth, cost every start milliseconds
 * of CPU on Node (it shows in bench/cold-start.bench.js's `runometer` start) that only some servers, and some requests, need.
 * A failed load fails that request and is tried again by the next.
 */
export function onFirstUse(load: () => Promise<MiddlewareHandler>): MiddlewareHandler {
  let loading: Promise<MiddlewareHandler> | undefined;
  return async (c, next) => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return (await loading)(c, next);
  };
}
