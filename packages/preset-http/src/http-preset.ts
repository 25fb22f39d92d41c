import { decoratorsFor, preset } from '@runometer/core';
import { DURATION_BUCKETS, DURATION_NATIVE, HttpRecorder, WINDOW_SECONDS, type HttpSeriesReading } from './http-recorder.js';

interface HttpContext {
  readonly series: readonly HttpSeriesReading[];
}

const { contextBuilder, field, series } = decoratorsFor<HttpContext>();

const WINDOW = `over the last ${WINDOW_SECONDS} s`;
const ANSWERED = 'a request of the route, method and status class has ended';
const IN_WINDOW = `a request of the route, method and status class ended in the last ${WINDOW_SECONDS} s`;

/**
 * The app's own traffic, as its hooks (Hono, node:http, Express, Fastify) feed the recorder: a
 * series per route template, method and status class, and the requests in flight.
 */
@preset('http', { inject: [HttpRecorder] })
export class HttpPreset {
  constructor(private readonly recorder: HttpRecorder) {}

  /** The recorder's layout (`HttpRecorder.durationBuckets`), which the meter's field takes. */
  bucketsOf(key: string): readonly number[] | undefined {
    return key === 'http_request_duration_seconds' ? this.recorder.useDurationBuckets() : undefined;
  }

  @contextBuilder()
  read(): HttpContext {
    return { series: this.recorder.read() };
  }

  @field('http_requests_in_flight', { type: 'integer', unit: 'count', help: 'Requests begun and not yet ended.', requires: [] })
  inFlight() {
    return this.recorder.inFlight;
  }

  @field('http_routes', {
    type: 'integer',
    unit: 'count',
    help: 'Route templates kept apart in series (at most the route limit).',
    requires: [],
  })
  routes() {
    return this.recorder.routeCount;
  }

  @field('http_route_overflow_requests_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Requests counted under route=other because the route limit was reached.',
    requires: [],
  })
  overflowed() {
    return this.recorder.overflowed;
  }

  @series('http_requests', {
    tags: ['route', 'method', 'status_class'],
    fields: {
      http_request_duration_seconds: {
        kind: 'histogram',
        buckets: DURATION_BUCKETS,
        native: DURATION_NATIVE,
        unit: 'seconds',
        help: 'Duration of the requests ended (answered, or given up by their client: status_class=aborted), in seconds: its count is the requests, its sum their seconds.',
        requires: [],
        when: ANSWERED,
      },
      http_request_duration_p50_seconds: {
        unit: 'seconds',
        help: `Median request duration ${WINDOW}, in seconds.`,
        requires: [],
        when: IN_WINDOW,
      },
      http_request_duration_p90_seconds: {
        unit: 'seconds',
        help: `90th percentile of the request duration ${WINDOW}, in seconds.`,
        requires: [],
        when: IN_WINDOW,
      },
      http_request_duration_p99_seconds: {
        unit: 'seconds',
        help: `99th percentile of the request duration ${WINDOW}, in seconds.`,
        requires: [],
        when: IN_WINDOW,
      },
      http_window_requests: {
        type: 'integer',
        unit: 'count',
        help: `Requests ${WINDOW}: what the percentiles are of.`,
        requires: [],
        when: ANSWERED,
      },
      http_request_body_bytes_total: {
        type: 'integer',
        kind: 'counter',
        unit: 'bytes',
        help: 'Bytes of request bodies whose length was known (Content-Length).',
        requires: [],
        when: 'a request of the series declared its length',
      },
      http_response_body_bytes_total: {
        type: 'integer',
        kind: 'counter',
        unit: 'bytes',
        help: 'Bytes of response bodies whose length was known (Content-Length).',
        requires: [],
        when: 'a response of the series declared its length',
      },
    },
  })
  requests(ctx: HttpContext) {
    return ctx.series.map(({ series, percentiles }) => ({
      tags: { route: series.route, method: series.method, status_class: series.statusClass },
      fields: {
        http_request_duration_seconds: series.durations.snapshot(),
        http_request_duration_p50_seconds: percentiles?.p50,
        http_request_duration_p90_seconds: percentiles?.p90,
        http_request_duration_p99_seconds: percentiles?.p99,
        http_window_requests: percentiles?.count ?? 0,
        http_request_body_bytes_total: series.requestBytes,
        http_response_body_bytes_total: series.responseBytes,
      },
    }));
  }
}
