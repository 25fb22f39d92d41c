import diagnosticsChannel from 'node:diagnostics_channel';
import type { Server, ServerResponse } from 'node:http';
import { container } from '@runometer/core';
import { HttpRecorder } from './http-recorder.js';
import { ROUTE, responseTracker, routeLeftOnResponse, type RoutedResponse } from './response-tracker.js';

/** What node:http publishes for every request a server of the process takes, before its listener runs (Node; Deno's node:http too). */
export const REQUEST_START_CHANNEL = 'http.server.request.start';
/** What Fastify (4.27 and later) publishes once it has routed a request to a handler: the route's template, `route.url`. */
export const FASTIFY_HANDLER_CHANNEL = 'tracing:fastify.request.handler:start';

export interface ServerChannelsOptions {
  /** Where the requests are recorded; the container's one by default (what the http preset reads). */
  readonly recorder?: HttpRecorder;
  /** True for a server whose requests are not the app's traffic: a meter's own endpoint. */
  readonly ignore?: (server: Server) => boolean;
  /** Called once, at the first request recorded: the runtime publishes the app's traffic. */
  readonly onFirstRequest?: () => void;
}

export interface ServerChannelsHandle {
  /** Stops recording: unsubscribes from both channels. */
  close(): void;
}

interface RequestStart {
  readonly response: ServerResponse;
  readonly server: Server;
}

interface FastifyHandlerStart {
  readonly reply?: { readonly raw?: RoutedResponse };
  readonly route?: { readonly url?: string };
}

/**
 * Records every request of every node:http server of the process (Express, Koa, Nest, Hono's
 * node-server, Fastify: whatever listens through node:http) from the diagnostics channel node:http
 * publishes, with no hook in the app. The route is `unmatched` unless a framework tells it: Fastify
 * on its own channel, or a hook of this package added by hand (which then records nothing twice).
 * On a runtime that publishes nothing (Bun 1.4), nothing is recorded and `onFirstRequest` never runs.
 */
export function recordServerChannels(options: ServerChannelsOptions = {}): ServerChannelsHandle {
  const { recorder = container.resolve(HttpRecorder), ignore, onFirstRequest } = options;
  const track = responseTracker(recorder, routeLeftOnResponse);
  let seen = false;
  const onRequestStart = (message: unknown) => {
    const { response, server } = message as RequestStart;
    if (ignore?.(server)) return;
    track(response);
    if (!seen) {
      seen = true;
      onFirstRequest?.();
    }
  };
  const onFastifyHandler = (message: unknown) => {
    const { reply, route } = message as FastifyHandlerStart;
    if (reply?.raw !== undefined) reply.raw[ROUTE] = route?.url;
  };
  diagnosticsChannel.subscribe(REQUEST_START_CHANNEL, onRequestStart);
  diagnosticsChannel.subscribe(FASTIFY_HANDLER_CHANNEL, onFastifyHandler);
  return {
    close() {
      diagnosticsChannel.unsubscribe(REQUEST_START_CHANNEL, onRequestStart);
      diagnosticsChannel.unsubscribe(FASTIFY_HANDLER_CHANNEL, onFastifyHandler);
    },
  };
}
