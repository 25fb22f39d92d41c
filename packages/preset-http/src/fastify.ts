import { container } from '@runometer/core';
import type { FastifyPluginCallback } from 'fastify';
import { HttpRecorder } from './http-recorder.js';
import { ROUTE, responseTracker, routeLeftOnResponse, type RoutedResponse } from './response-tracker.js';

export interface FastifyMetricsOptions {
  /** Where the requests are recorded; the container's one by default (what the http preset reads). */
  readonly recorder?: HttpRecorder;
}

/**
 * A Fastify plugin that records every request of the instance it is registered on and of its
 * children: `await app.register(fastifyHttpMetrics)`. The route is `request.routeOptions.url`
 * (the template), known once Fastify has routed the request; a request no route matched has none.
 */
export const fastifyHttpMetrics: FastifyPluginCallback<FastifyMetricsOptions> = (fastify, options, done) => {
  const track = responseTracker(options.recorder ?? container.resolve(HttpRecorder), routeLeftOnResponse);
  fastify.addHook('onRequest', (request, reply, next) => {
    const response: RoutedResponse = reply.raw;
    response[ROUTE] = request.routeOptions.url;
    track(response);
    next();
  });
  done();
};

// What fastify-plugin does: the hook applies to the whole instance, not only to routes registered inside the plugin.
Object.assign(fastifyHttpMetrics, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: '@runometer/preset-http' });
