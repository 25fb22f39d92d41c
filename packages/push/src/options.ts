import { redactUrl, type DependencyContainer } from '@runometer/core';
import type { PushEncoder } from './encoder.js';
import { lineProtocolEncoder } from './line-protocol-encoder.js';
import type { PushError } from './push-error.js';

export interface PusherOptions {
  /**
   * The server: with `database`, InfluxDB 1.x's base URL (`/write` is added); with `bucket`, InfluxDB
   * 2.x/3.x's (`/api/v2/write` is added); with neither, the full URL to POST to (Telegraf's
   * http_listener_v2 path, VictoriaMetrics' `/write`).
   */
  readonly url: string;
  /** InfluxDB 1.x (or 3.x's v1 API): the database to write to. */
  readonly database?: string;
  /** InfluxDB 1.x: the retention policy; the database's default when absent. */
  readonly retentionPolicy?: string;
  /** InfluxDB 2.x/3.x: the bucket to write to (3.x: the database). */
  readonly bucket?: string;
  /** InfluxDB 2.x: the organization of the bucket (3.x ignores it). */
  readonly org?: string;
  /** Sent as `Authorization: Token <token>` (InfluxDB 2.x/3.x, and 1.8+ with `user:password`). */
  readonly token?: string;
  /** More request headers, e.g. `{ Authorization: 'Basic …' }` for a proxy in front of VictoriaMetrics. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Milliseconds between renders. Default 10 000, Telegraf's default interval. */
  readonly interval?: number;
  /** Milliseconds one request may take before it is aborted and retried. Default 5000. */
  readonly timeout?: number;
  /** Milliseconds the first retry waits at most (full jitter: a random wait up to it). Default 1000. */
  readonly minRetryDelay?: number;
  /** Milliseconds any retry waits at most, but for a longer `Retry-After`. Default: the interval. */
  readonly maxRetryDelay?: number;
  /** Points (lines) kept while the target cannot take them; beyond it the oldest are dropped. Default 10 000. */
  readonly maxBufferPoints?: number;
  /** Points sent in one request at most. Default 5000. */
  readonly maxBatchPoints?: number;
  /** Bodies of at least this many bytes are gzipped. Default 1000. */
  readonly gzipThreshold?: number;
  /** Milliseconds `close()` spends on its final render and flush before it gives up on what is left. Default 5000. */
  readonly closeTimeout?: number;
  /** Close (final render and flush) on SIGTERM and SIGINT, then let the signal end the process as it would have. Default true. */
  readonly flushOnSignals?: boolean;
  /** Called for each failed request or render. Default: one console warning per kind of failure and HTTP status. */
  readonly onError?: (error: PushError) => void;
  /** Where the `PushHealth` that `PushPreset` reads is resolved from. Default: core's root container. */
  readonly container?: DependencyContainer;
  /** What the requests carry and how a refusal is read. Default: `lineProtocolEncoder`. */
  readonly encoder?: PushEncoder;
}

/** Where and how the points go. */
export interface Target {
  readonly writeUrl: string;
  readonly headers: Readonly<Record<string, string>>;
}

export type CheckedOptions = Required<
  Omit<PusherOptions, 'url' | 'database' | 'retentionPolicy' | 'bucket' | 'org' | 'token' | 'headers' | 'onError' | 'container'>
> & {
  readonly target: Target;
  readonly onError: ((error: PushError) => void) | undefined;
  readonly container: DependencyContainer | undefined;
};

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return value === null ? 'null' : typeof value;
}

/** The longest wait setTimeout can keep: a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function milliseconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`Pusher option ${name} must be a positive finite number of milliseconds, got ${shown(value)}`);
  }
  if (value > MAX_TIMER_MS)
    throw new RangeError(`Pusher option ${name} must be at most ${MAX_TIMER_MS} ms (what setTimeout can wait), got ${shown(value)}`);
  return value;
}

function count(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`Pusher option ${name} must be a positive integer, got ${shown(value)}`);
  }
  return value;
}

function text(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`Pusher option ${name} must be a non-empty string, got ${shown(value)}`);
  return value;
}

const WRITE_PATHS = ['/write', '/api/v2/write'];

/** The URL requests go to, from `url` and the options that name the destination. */
function writeUrl(options: PusherOptions): string {
  const given = text('url', options.url);
  if (given === undefined) throw new TypeError('Pusher option url is required: where to push (see the README for each destination)');
  // Only ever printed redacted.
  const printed = redactUrl(given);
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new TypeError(`Pusher option url must be an absolute http(s) URL, got ${shown(printed)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`Pusher option url must be http or https, got ${shown(printed)}`);
  if (url.username !== '' || url.password !== '') {
    throw new TypeError('Pusher option url must not hold credentials (fetch refuses them): give token, or headers: { Authorization }');
  }
  const database = text('database', options.database);
  const retentionPolicy = text('retentionPolicy', options.retentionPolicy);
  const bucket = text('bucket', options.bucket);
  const org = text('org', options.org);
  if (database !== undefined && (bucket !== undefined || org !== undefined)) {
    throw new TypeError(
      'Pusher options database (InfluxDB 1.x) and bucket/org (InfluxDB 2.x/3.x) exclude each other: give one destination',
    );
  }
  if (org !== undefined && bucket === undefined)
    throw new TypeError('Pusher option org needs bucket: InfluxDB 2.x writes to a bucket of the org');
  if (retentionPolicy !== undefined && database === undefined)
    throw new TypeError('Pusher option retentionPolicy needs database (InfluxDB 1.x)');
  const base = url.pathname.replace(/\/+$/, '');
  if (database === undefined && bucket === undefined) {
    if (base === '') {
      throw new TypeError(
        `Pusher option url ${shown(printed)} has no path: give database (InfluxDB 1.x), bucket (InfluxDB 2.x/3.x), ` +
          'or the full URL to POST to (Telegraf http_listener_v2: …/telegraf; VictoriaMetrics: …/write)',
      );
    }
    return url.href;
  }
  if (WRITE_PATHS.some((path) => base.endsWith(path))) {
    throw new TypeError(
      `Pusher option url ${shown(printed)} already ends with a write path: with database or bucket, give the server's base URL`,
    );
  }
  if (url.search !== '')
    throw new TypeError(`Pusher option url ${shown(printed)} has a query: with database or bucket, give the server's base URL`);
  const query = new URLSearchParams(
    database !== undefined
      ? { db: database, ...(retentionPolicy === undefined ? {} : { rp: retentionPolicy }), precision: 'ns' }
      : { ...(org === undefined ? {} : { org }), bucket: bucket!, precision: 'ns' },
  );
  url.pathname = `${base}${database !== undefined ? '/write' : '/api/v2/write'}`;
  url.search = query.toString();
  return url.href;
}

const OPTIONAL_METHODS = ['partialRefusal', 'describe'] as const;

function encoderOf(options: PusherOptions): PushEncoder {
  const encoder = options.encoder ?? lineProtocolEncoder;
  const methods = ['points', 'body', 'refusal'] as const;
  const valid =
    typeof encoder === 'object' &&
    encoder !== null &&
    typeof encoder.contentType === 'string' &&
    methods.every((name) => typeof encoder[name] === 'function') &&
    OPTIONAL_METHODS.every((name) => encoder[name] === undefined || typeof encoder[name] === 'function');
  if (!valid)
    throw new TypeError(
      `Pusher option encoder must be a PushEncoder (contentType, ${methods.join(', ')}, optionally ${OPTIONAL_METHODS.join(', ')}), got ${shown(encoder)}`,
    );
  return encoder;
}

function headersOf(options: PusherOptions, contentType: string): Record<string, string> {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (options.headers !== undefined) {
    if (typeof options.headers !== 'object' || options.headers === null)
      throw new TypeError(`Pusher option headers must be an object of strings, got ${shown(options.headers)}`);
    for (const [name, value] of Object.entries(options.headers)) {
      if (typeof value !== 'string') throw new TypeError(`Pusher option headers.${name} must be a string, got ${shown(value)}`);
      headers[name] = value;
    }
  }
  const token = text('token', options.token);
  if (token !== undefined) headers['Authorization'] = `Token ${token}`;
  return headers;
}

/** The options with their defaults, checked: a bad one throws an error that names it. */
export function checkOptions(options: PusherOptions): CheckedOptions {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`Pusher options must be an object with at least url, got ${shown(options)}`);
  const interval = milliseconds('interval', options.interval, 10_000);
  const minRetryDelay = milliseconds('minRetryDelay', options.minRetryDelay, 1000);
  const maxRetryDelay = milliseconds('maxRetryDelay', options.maxRetryDelay, Math.max(interval, minRetryDelay));
  if (maxRetryDelay < minRetryDelay)
    throw new RangeError(`Pusher option maxRetryDelay (${maxRetryDelay}) must be at least minRetryDelay (${minRetryDelay})`);
  const maxBufferPoints = count('maxBufferPoints', options.maxBufferPoints, 10_000);
  const maxBatchPoints = count('maxBatchPoints', options.maxBatchPoints, Math.min(5000, maxBufferPoints));
  if (maxBatchPoints > maxBufferPoints)
    throw new RangeError(`Pusher option maxBatchPoints (${maxBatchPoints}) must be at most maxBufferPoints (${maxBufferPoints})`);
  const gzipThreshold = options.gzipThreshold ?? 1000;
  if (typeof gzipThreshold !== 'number' || !(gzipThreshold >= 0)) {
    throw new RangeError(`Pusher option gzipThreshold must be a number of bytes ≥ 0 (Infinity: never gzip), got ${shown(gzipThreshold)}`);
  }
  const flushOnSignals = options.flushOnSignals ?? true;
  if (typeof flushOnSignals !== 'boolean')
    throw new TypeError(`Pusher option flushOnSignals must be a boolean, got ${shown(flushOnSignals)}`);
  if (options.onError !== undefined && typeof options.onError !== 'function')
    throw new TypeError(`Pusher option onError must be a function, got ${shown(options.onError)}`);
  const encoder = encoderOf(options);
  return {
    target: { writeUrl: writeUrl(options), headers: headersOf(options, encoder.contentType) },
    encoder,
    interval,
    timeout: milliseconds('timeout', options.timeout, 5000),
    minRetryDelay,
    maxRetryDelay,
    maxBufferPoints,
    maxBatchPoints,
    gzipThreshold,
    closeTimeout: milliseconds('closeTimeout', options.closeTimeout, 5000),
    flushOnSignals,
    onError: options.onError,
    container: options.container,
  };
}
