import { BucketLayout, HistogramRecorder, singleton } from '@runometer/core';
import { DurationWindow, type DurationPercentiles } from './duration-window.js';

/** Percentiles describe the last WINDOW_SECONDS to WINDOW_SECONDS + 1 seconds, as the event-loop delay does. */
export const WINDOW_SECONDS = 10;
const SLOT_MS = 1000;
const SLOTS = WINDOW_SECONDS + 1;

/**
 * The default bucket layout of `http_request_duration_seconds`, in seconds: 1, 2, 3 and 5 of each
 * power of ten from 0.1 ms to 30 s, then 60 s (24 bounds, `+Inf` above). Request durations live
 * there, from a cached answer in a tenth of a millisecond to a proxy's timeout at 30 or 60 s. The
 * bounds are the thresholds an SLO names (0.1, 0.2, 0.3, 0.5, 1 s), so that its share of requests
 * under one is exact, not interpolated; a quantile read from them is within
 * `worstQuantileError(DURATION_BUCKETS)` of the true duration (the README's table gives it: the
 * buckets from 1 to 2 and from 5 to 10 of a decade are the widest). Each series of the preset is
 * a series per bucket, `+Inf`, `_sum` and `_count` in Prometheus: see the cardinality in the README.
 */
export const DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.0001, 0.0002, 0.0003, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5, 10, 20, 30, 60,
]);

/**
 * The native layout of `http_request_duration_seconds`, for a Prometheus that scrapes native
 * histograms (the protobuf exposition): schema 3, eight buckets per doubling, each 2^(1/8) = 1.0905
 * times the last, so a quantile read from them is within 9.05% of the true duration
 * (`nativeQuantileError(3)`) at every duration, where the classic layout's widest buckets allow
 * 100%; client_golang's default resolution (bucket factor 1.1). Durations of 2^-20 s (0.95 µs)
 * or less count as zero. A series holds only the buckets its requests reached: 8 per doubling
 * its durations span (about 80 from 1 ms to 1 s), one sample in Prometheus.
 */
export const DURATION_NATIVE = Object.freeze({ schema: 3, zeroThreshold: 2 ** -20 });

/**
 * Routes a recorder keeps apart by default. A typical service has tens of routes; each route
 * holds up to one series per method and status class, and a busy series about 13 KB of
 * histograms, so 100 routes bound both the store's series and the memory, with room to spare.
 */
export const DEFAULT_ROUTE_LIMIT = 100;

/** The route of requests beyond the route limit. Templates begin with `/` or `*`, so no route is named so. */
export const OVERFLOW_ROUTE = 'other';
/** The route of requests no route matched (a 404 of the framework's), and of those a hook knows no route for. */
export const UNMATCHED_ROUTE = 'unmatched';

/** The methods kept apart; any other (WebDAV's, an invented one) counts as `other`, so that a client cannot mint series. */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'CONNECT', 'TRACE', 'other'] as const;
const OTHER_METHOD = METHODS.length - 1;

/**
 * Status classes; `other`, a status outside 100 to 599 (Node's `writeHead` takes up to 999); and
 * `aborted`: the client went away before the response was sent in full.
 */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other', 'aborted'] as const;
const OTHER_STATUS = STATUS_CLASSES.length - 2;
const ABORTED = STATUS_CLASSES.length - 1;
/** The status of a request whose client went away before its response was sent in full. */
export const ABORTED_STATUS = 0;

function methodIndex(method: string): number {
  switch (method) {
    case 'GET':
      return 0;
    case 'HEAD':
      return 1;
    case 'POST':
      return 2;
    case 'PUT':
      return 3;
    case 'DELETE':
      return 4;
    case 'PATCH':
      return 5;
    case 'OPTIONS':
      return 6;
    case 'CONNECT':
      return 7;
    case 'TRACE':
      return 8;
    default:
      return OTHER_METHOD;
  }
}

function statusClassIndex(status: number): number {
  if (status === ABORTED_STATUS) return ABORTED;
  return status >= 100 && status < 600 ? ((status / 100) | 0) - 1 : OTHER_STATUS;
}

/**
 * The most one request adds to a byte counter: 1 TiB, beyond any body a service takes. A length
 * is what the client or the handler declared (Content-Length, up to 2^64 - 1 on Node), not what
 * was sent: unclamped, one request took the counter out of int64, and core left it out for good.
 */
export const MAX_COUNTED_BODY_BYTES = 2 ** 40;

/**
 * `total` plus what a body of `bytes` adds (NaN or negative: unknown, nothing). Past 2^53 - 1,
 * where a number stops counting every byte, the counter starts again from what this body adds:
 * a counter reset, as a restart is, which Prometheus's `rate()` and InfluxDB's
 * `non_negative_derivative()` read as one. Honest traffic never gets there (8 PiB).
 */
function addBytes(total: number | undefined, bytes: number): number | undefined {
  if (!(bytes >= 0)) return total;
  const added = Math.min(Math.floor(bytes), MAX_COUNTED_BODY_BYTES);
  const sum = (total ?? 0) + added;
  return sum > Number.MAX_SAFE_INTEGER ? added : sum;
}

/**
 * One route × method × status class: its requests' durations since the process started, in
 * seconds (their count is the requests', their sum the time they took), the window's, and what
 * their bodies added up to.
 */
export class HttpSeries {
  readonly durations: HistogramRecorder;
  readonly window: DurationWindow;
  /** Bytes of the bodies whose length was known; undefined until one was. */
  requestBytes: number | undefined = undefined;
  responseBytes: number | undefined = undefined;

  constructor(
    readonly route: string,
    readonly method: string,
    readonly statusClass: string,
    buckets: readonly number[],
  ) {
    this.durations = new HistogramRecorder(buckets, DURATION_NATIVE);
    this.window = new DurationWindow(this.durations, SLOTS);
  }
}

/** A route's series, by method and status class. */
class RouteSeries {
  readonly series: (HttpSeries | undefined)[] = new Array<HttpSeries | undefined>(METHODS.length * STATUS_CLASSES.length).fill(undefined);

  constructor(
    readonly route: string,
    private readonly layout: BucketLayout,
  ) {}

  of(method: number, statusClass: number): HttpSeries {
    const index = method * STATUS_CLASSES.length + statusClass;
    return (this.series[index] ??= new HttpSeries(
      this.route,
      METHODS[method]!,
      STATUS_CLASSES[statusClass]!,
      this.layout.fix('a request was recorded'),
    ));
  }
}

export interface HttpSeriesReading {
  readonly series: HttpSeries;
  /** Undefined when the window holds no request of the series. */
  readonly percentiles: DurationPercentiles | undefined;
}

/**
 * What the hooks feed and the http preset renders: requests by route template, method and
 * status class, in fixed structures. A request costs two clock reads, a map lookup by its route
 * template and a few increments; the percentiles are computed when a meter renders.
 * A singleton of core's container, which its child containers resolve too, so that the hooks and
 * the preset meet; to keep two apps apart, register a recorder of each app's on its meter's container.
 */
@singleton()
export class HttpRecorder {
  /** Requests begun and not yet ended. */
  inFlight = 0;
  /** Requests counted under `route=other` because the route limit was reached. */
  overflowed = 0;
  private limit = DEFAULT_ROUTE_LIMIT;
  private readonly layout = new BucketLayout('HttpRecorder.durationBuckets', DURATION_BUCKETS);
  private readonly routes = new Map<string, RouteSeries>();
  private readonly overflow = new RouteSeries(OVERFLOW_ROUTE, this.layout);
  private readonly unmatched = new RouteSeries(UNMATCHED_ROUTE, this.layout);

  /** Milliseconds on a monotonic clock; tests replace it. */
  now: () => number = () => performance.now();

  /** Routes kept apart; requests of any further route count under `route=other`. Lowering it keeps the routes already seen. */
  get routeLimit(): number {
    return this.limit;
  }

  set routeLimit(limit: number) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`routeLimit must be an integer of 0 or more, got ${String(limit)}`);
    this.limit = limit;
  }

  /**
   * The bucket layout of `http_request_duration_seconds`, in seconds (`DURATION_BUCKETS` by
   * default): settable, checked as a field's `buckets` are, until a meter uses the http preset or
   * a request is recorded; after that a change throws, saying which.
   */
  get durationBuckets(): readonly number[] {
    return this.layout.bounds;
  }

  set durationBuckets(bounds: readonly number[]) {
    this.layout.bounds = bounds;
  }

  /** The layout a meter's `http_request_duration_seconds` takes: fixed from now on. */
  useDurationBuckets(): readonly number[] {
    return this.layout.fix('a meter uses the http preset');
  }

  /** Routes kept apart so far (`other` and `unmatched` aside). */
  get routeCount(): number {
    return this.routes.size;
  }

  /** A request begins: returns its start time, for `end`. */
  begin(): number {
    this.inFlight++;
    return this.now();
  }

  /**
   * A request begun at `startedAt` ends with `status` (ABORTED_STATUS when its client went
   * away first). `route` is its route template, undefined when none matched; `requestBytes`
   * and `responseBytes` its bodies' lengths, when known (NaN or negative when not).
   */
  end(route: string | undefined, method: string, status: number, startedAt: number, requestBytes: number, responseBytes: number): void {
    const now = this.now();
    this.inFlight--;
    const series = this.routeOf(route).of(methodIndex(method), statusClassIndex(status));
    series.window.enter(Math.floor(now / SLOT_MS));
    series.durations.record((now - startedAt) / 1000);
    series.requestBytes = addBytes(series.requestBytes, requestBytes);
    series.responseBytes = addBytes(series.responseBytes, responseBytes);
  }

  /** Every series with requests, routes in the order first seen, then `other`, then `unmatched`; each with its window's percentiles. */
  read(): HttpSeriesReading[] {
    const slot = Math.floor(this.now() / SLOT_MS);
    const readings: HttpSeriesReading[] = [];
    for (const route of [...this.routes.values(), this.overflow, this.unmatched]) {
      for (const series of route.series) if (series !== undefined) readings.push({ series, percentiles: series.window.percentiles(slot) });
    }
    return readings;
  }

  private routeOf(route: string | undefined): RouteSeries {
    if (route === undefined || route === UNMATCHED_ROUTE) return this.unmatched;
    if (route === OVERFLOW_ROUTE) return this.overflow;
    const known = this.routes.get(route);
    if (known !== undefined) return known;
    if (this.routes.size >= this.limit) {
      this.overflowed++;
      return this.overflow;
    }
    const added = new RouteSeries(route, this.layout);
    this.routes.set(route, added);
    return added;
  }
}
