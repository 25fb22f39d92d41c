import { describe, expect, test } from 'vitest';
import { fromOtelEnvironment } from './otel-environment.js';

/** What the options say, the encoder by its content type. */
function options(env: Record<string, string>) {
  const { encoder, ...rest } = fromOtelEnvironment(env);
  return { ...rest, contentType: encoder!.contentType };
}

describe('fromOtelEnvironment', () => {
  test("nothing set: the exporter's default, http://localhost:4318/v1/metrics, in protobuf, nothing else", () => {
    expect(options({})).toEqual({ url: 'http://localhost:4318/v1/metrics', contentType: 'application/x-protobuf' });
  });

  test('OTEL_EXPORTER_OTLP_ENDPOINT gets v1/metrics appended to its path; the metrics endpoint is taken as it is and wins', () => {
    const url = (env: Record<string, string>) => fromOtelEnvironment(env).url;
    expect(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318' })).toBe('https://collector:4318/v1/metrics');
    expect(url({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://mimir:8080/otlp/' })).toBe('http://mimir:8080/otlp/v1/metrics');
    expect(url({ OTEL_EXPORTER_OTLP_ENDPOINT: ' http://prometheus:9090/api/v1/otlp ' })).toBe(
      'http://prometheus:9090/api/v1/otlp/v1/metrics',
    );
    expect(
      url({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://victoria:8428/opentelemetry/v1/metrics',
      }),
    ).toBe('http://victoria:8428/opentelemetry/v1/metrics');
    // An empty variable is unset.
    expect(url({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: '', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe('http://c:4318/v1/metrics');
  });

  test('headers: k=v pairs, trimmed and %-decoded, the metrics-specific ones winning', () => {
    expect(
      fromOtelEnvironment({
        OTEL_EXPORTER_OTLP_HEADERS: ' api-key = secret%3D1 , X-Tenant=a,,',
        OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'X-Tenant=b%2Cc',
      }).headers,
    ).toEqual({ 'api-key': 'secret=1', 'X-Tenant': 'b,c' });
  });

  test('protocol, timeout, compression and the export interval, where set', () => {
    expect(
      options({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_TIMEOUT: '10000',
        OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '3000',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_METRIC_EXPORT_INTERVAL: '60000',
      }),
    ).toEqual({
      url: 'http://localhost:4318/v1/metrics',
      contentType: 'application/json',
      timeout: 3000,
      interval: 60_000,
      gzipThreshold: 0,
    });
    expect(fromOtelEnvironment({ OTEL_EXPORTER_OTLP_METRICS_COMPRESSION: 'none' }).gzipThreshold).toBe(Number.POSITIVE_INFINITY);
  });

  test('a bad value throws, naming its variable (never printing a header value)', () => {
    const cases: [Record<string, string>, string][] = [
      [
        { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
        'OTEL_EXPORTER_OTLP_PROTOCOL is "grpc", which the pusher does not speak (fetch has no HTTP/2 trailers): give http/protobuf or http/json, and the receiver\'s OTLP/HTTP endpoint (port 4318)',
      ],
      [
        { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/thrift' },
        'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL must be http/protobuf or http/json, got "http/thrift"',
      ],
      [
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
        'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL (OTLP/HTTP), got "collector:4318"',
      ],
      [
        { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: '/v1/metrics' },
        'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT must be an absolute http(s) URL, got "/v1/metrics"',
      ],
      [
        { OTEL_EXPORTER_OTLP_HEADERS: 'a=1,Authorization' },
        'OTEL_EXPORTER_OTLP_HEADERS: entry 2 has no "=" (the format is key=value,key2=value2)',
      ],
      [{ OTEL_EXPORTER_OTLP_METRICS_HEADERS: '=x' }, 'OTEL_EXPORTER_OTLP_METRICS_HEADERS: entry 1 has no key before "="'],
      [
        { OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%zzsecret' },
        'OTEL_EXPORTER_OTLP_HEADERS: the value of "Authorization" has a malformed %-escape',
      ],
      [{ OTEL_RESOURCE_ATTRIBUTES: 'service.name' }, 'OTEL_RESOURCE_ATTRIBUTES: entry 1 has no "=" (the format is key=value,key2=value2)'],
      [{ OTEL_EXPORTER_OTLP_TIMEOUT: '5s' }, 'OTEL_EXPORTER_OTLP_TIMEOUT must be a whole number of milliseconds above 0, got "5s"'],
      [{ OTEL_METRIC_EXPORT_INTERVAL: '0' }, 'OTEL_METRIC_EXPORT_INTERVAL must be a whole number of milliseconds above 0, got "0"'],
      [{ OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd' }, 'OTEL_EXPORTER_OTLP_COMPRESSION must be gzip or none, got "zstd"'],
    ];
    const thrown = cases.map(([env]) => {
      try {
        fromOtelEnvironment(env);
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(thrown).toEqual(cases.map(([, message]) => message));
  });

  test('reads process.env by default', () => {
    const saved = process.env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'];
    process.env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'] = 'http://from-env:4318/v1/metrics';
    try {
      expect(fromOtelEnvironment().url).toBe('http://from-env:4318/v1/metrics');
    } finally {
      if (saved === undefined) delete process.env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'];
      else process.env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT'] = saved;
    }
  });
});
