import { redactUrl } from '@runometer/core';
import process from 'node:process';
import { otlpEncoder, unsupportedProtocol, type OtlpProtocol } from './otlp-encoder.js';
import type { PusherOptions } from './options.js';

/** The pusher's options that OpenTelemetry's standard variables set. */
export type OtelEnvironmentOptions = Pick<PusherOptions, 'url' | 'headers' | 'encoder' | 'timeout' | 'interval' | 'gzipThreshold'>;

type Environment = Readonly<Record<string, string | undefined>>;

/** The exporter's default endpoint, the Collector's OTLP/HTTP port on this host. */
const DEFAULT_ENDPOINT = 'http://localhost:4318';
const METRICS_PATH = 'v1/metrics';

/** A variable's value: an empty one is unset, as the specification says. */
function read(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** The first of `names` that is set, with its name (the metrics-specific variable before the general one). */
function first(env: Environment, ...names: string[]): { readonly name: string; readonly value: string } | undefined {
  for (const name of names) {
    const value = read(env, name);
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

function httpUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute http(s) URL, got ${JSON.stringify(redactUrl(value))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`${name} must be an http(s) URL (OTLP/HTTP), got ${JSON.stringify(redactUrl(value))}`);
  return url;
}

/** The URL to POST to: the metrics endpoint as it is, or the general one with `v1/metrics` appended to its path. */
function endpointOf(env: Environment): string {
  const metrics = read(env, 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  if (metrics !== undefined) return httpUrl('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', metrics).href;
  const base = httpUrl('OTEL_EXPORTER_OTLP_ENDPOINT', read(env, 'OTEL_EXPORTER_OTLP_ENDPOINT') ?? DEFAULT_ENDPOINT);
  base.pathname = `${base.pathname.replace(/\/*$/, '/')}${METRICS_PATH}`;
  return base.href;
}

function decoded(name: string, text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new TypeError(`${name}: ${what} has a malformed %-escape`);
  }
}

/**
 * A list `key=value,key2=value2` (headers, resource attributes), keys and values %-decoded and
 * trimmed. A value is never printed: headers carry secrets.
 */
function keyValues(name: string, text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  text.split(',').forEach((entry, index) => {
    if (entry.trim() === '') return;
    const equals = entry.indexOf('=');
    if (equals === -1) throw new TypeError(`${name}: entry ${index + 1} has no "=" (the format is key=value,key2=value2)`);
    const key = decoded(name, entry.slice(0, equals).trim(), `entry ${index + 1}'s key`);
    if (key === '') throw new TypeError(`${name}: entry ${index + 1} has no key before "="`);
    pairs[key] = decoded(name, entry.slice(equals + 1).trim(), `the value of ${JSON.stringify(key)}`);
  });
  return pairs;
}

function protocolOf(env: Environment): OtlpProtocol {
  const given = first(env, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', 'OTEL_EXPORTER_OTLP_PROTOCOL');
  if (given === undefined) return 'http/protobuf';
  if (given.value === 'http/protobuf' || given.value === 'http/json') return given.value;
  throw new TypeError(unsupportedProtocol(given.name, given.value));
}

function millisecondsOf(env: Environment, ...names: string[]): number | undefined {
  const given = first(env, ...names);
  if (given === undefined) return undefined;
  const value = Number(given.value);
  if (!/^\d+$/.test(given.value) || value <= 0)
    throw new TypeError(`${given.name} must be a whole number of milliseconds above 0, got ${JSON.stringify(given.value)}`);
  return value;
}

/** `gzip`: every body gzipped; `none`: none. Unset: the pusher's threshold (bodies of 1000 bytes or more). */
function gzipThresholdOf(env: Environment): number | undefined {
  const given = first(env, 'OTEL_EXPORTER_OTLP_METRICS_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION');
  if (given === undefined) return undefined;
  if (given.value === 'gzip') return 0;
  if (given.value === 'none') return Number.POSITIVE_INFINITY;
  throw new TypeError(`${given.name} must be gzip or none, got ${JSON.stringify(given.value)}`);
}

/**
 * Pusher options from OpenTelemetry's standard variables, as an OTLP exporter of the SDK reads
 * them: `new Pusher(meter, { ...fromOtelEnvironment(), onError })`. The URL is
 * `OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` as it is, or `OTEL_EXPORTER_OTLP_ENDPOINT` (default
 * `http://localhost:4318`) with `/v1/metrics` appended; headers from `OTEL_EXPORTER_OTLP_HEADERS`
 * and `…_METRICS_HEADERS` (`k=v,k2=v2`, %-decoded; the metrics' win); the encoding from
 * `…_PROTOCOL` (`http/protobuf`, the default, or `http/json`; `grpc` refused); `…_TIMEOUT`,
 * `…_COMPRESSION` and `OTEL_METRIC_EXPORT_INTERVAL` where set; the Resource from
 * `OTEL_RESOURCE_ATTRIBUTES` and `OTEL_SERVICE_NAME` (which wins for `service.name`). A bad value
 * throws an error that names its variable. On Deno, reading them needs `--allow-env`.
 */
export function fromOtelEnvironment(env: Environment = process.env): OtelEnvironmentOptions {
  const headers = {
    ...keyValues('OTEL_EXPORTER_OTLP_HEADERS', read(env, 'OTEL_EXPORTER_OTLP_HEADERS') ?? ''),
    ...keyValues('OTEL_EXPORTER_OTLP_METRICS_HEADERS', read(env, 'OTEL_EXPORTER_OTLP_METRICS_HEADERS') ?? ''),
  };
  const resource = keyValues('OTEL_RESOURCE_ATTRIBUTES', read(env, 'OTEL_RESOURCE_ATTRIBUTES') ?? '');
  const serviceName = read(env, 'OTEL_SERVICE_NAME');
  if (serviceName !== undefined) resource['service.name'] = serviceName;
  const timeout = millisecondsOf(env, 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT');
  const interval = millisecondsOf(env, 'OTEL_METRIC_EXPORT_INTERVAL');
  const gzipThreshold = gzipThresholdOf(env);
  return {
    url: endpointOf(env),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    encoder: otlpEncoder({ protocol: protocolOf(env), resource }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(interval === undefined ? {} : { interval }),
    ...(gzipThreshold === undefined ? {} : { gzipThreshold }),
  };
}
