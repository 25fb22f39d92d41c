// The router of the endpoint's own Hono apps (createApp, metricsApp). Their routes are fixed paths
// (`/metrics`, `/metrics/view`…) and `*`, which Hono's default router set (RegExpRouter, then
// TrieRouter, behind SmartRouter) costs CPU and memory to load at start on Node (it shows in
// bench/cold-start.bench.js's `runometer` start), for matches a comparison of strings makes.
import { HonoBase } from 'hono/hono-base';
import { PatternRouter } from 'hono/router/pattern-router';
import type { Hono } from 'hono';
import type { Params, Result, Router } from 'hono/router';

const NO_PARAMS: Params = Object.create(null) as Params;

/** Whether `path` is matched as it is: no parameter, wildcard or optional part. */
const isFixed = (path: string) => !/[:*?{]/.test(path);

type Route<T> =
  | { readonly method: string; readonly path: string; readonly handler: T }
  | { readonly method: string; readonly pattern: PatternRouter<T> };

/**
 * Matches a fixed path as Hono's default router does (exactly: `/metrics/` is not `/metrics`),
 * `*` and `/*` as every path, and any other path through Hono's PatternRouter, all in the order
 * they were added.
 */
export class FixedPathRouter<T> implements Router<T> {
  readonly name = 'FixedPathRouter';
  readonly #routes: Route<T>[] = [];

  add(method: string, path: string, handler: T): void {
    if (path === '*' || path === '/*' || isFixed(path)) {
      this.#routes.push({ method, path: path === '/*' ? '*' : path, handler });
    } else {
      const pattern = new PatternRouter<T>();
      pattern.add(method, path, handler);
      this.#routes.push({ method, pattern });
    }
  }

  match(method: string, path: string): Result<T> {
    const handlers: [T, Params][] = [];
    for (const route of this.#routes) {
      if ('pattern' in route) handlers.push(...(route.pattern.match(method, path)[0] as [T, Params][]));
      else if ((route.method === method || route.method === 'ALL') && (route.path === '*' || route.path === path))
        handlers.push([route.handler, NO_PARAMS]);
    }
    return [handlers];
  }
}

/** A Hono app on a FixedPathRouter: what the default `new Hono()` is, with a router that loads in no time. */
export function endpointApp(): Hono {
  return new HonoBase({ router: new FixedPathRouter() }) as Hono;
}
