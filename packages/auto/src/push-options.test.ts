import { fromOtelEnvironment, Pusher } from '@runometer/push';
import { expect, test } from 'vitest';
import { pushOptionsOf, pusherRefusal } from './push-options.js';
import { readSettings } from './variables.js';

/** The pusher's options `env` gives (the encoder as its content type), or its refusal. */
function pushOptions(env: Record<string, string>) {
  const { settings, refusals } = readSettings(env);
  expect(refusals).toEqual([]);
  const read = pushOptionsOf(settings, env, fromOtelEnvironment);
  if (read === undefined || 'refusal' in read) return read;
  const { encoder, ...options } = read.options;
  return { ...options, contentType: encoder?.contentType };
}

/** What `new Pusher()` refuses of the options `env` gives, as the preload says it. */
function pusherRefused(env: Record<string, string>) {
  const { settings } = readSettings(env);
  const read = pushOptionsOf(settings, env, fromOtelEnvironment);
  if (read === undefined || 'refusal' in read) throw new Error(`no options: ${JSON.stringify(read)}`);
  try {
    new Pusher({ collect: async () => [] } as never, read.options);
  } catch (error) {
    return pusherRefusal(error, settings, env);
  }
  throw new Error('new Pusher() took the options');
}

test('neither RUNOMETER_PUSH_URL nor RUNOMETER_OTLP: no pusher, even with OpenTelemetry endpoints set', () => {
  expect(pushOptions({})).toBeUndefined();
  expect(pushOptions({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBeUndefined();
});

test('RUNOMETER_PUSH_URL: line protocol there, with the token and the interval given', () => {
  expect(
    pushOptions({
      RUNOMETER_PUSH_URL: 'http://influxdb:8086/write?db=r',
      RUNOMETER_PUSH_TOKEN: 'u:p',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
    }),
  ).toEqual({
    url: 'http://influxdb:8086/write?db=r',
    token: 'u:p',
    contentType: undefined,
  });
  expect(pushOptions({ RUNOMETER_PUSH_URL: 'http://influxdb:8086/write?db=r', RUNOMETER_PUSH_INTERVAL: '2500' })).toEqual({
    url: 'http://influxdb:8086/write?db=r',
    token: undefined,
    interval: 2500,
    contentType: undefined,
  });
});

test("RUNOMETER_OTLP: OTLP/HTTP where and as OpenTelemetry's variables say, by default to the local Collector", () => {
  expect(pushOptions({ RUNOMETER_OTLP: '1' })).toEqual({ url: 'http://localhost:4318/v1/metrics', contentType: 'application/x-protobuf' });
  expect(
    pushOptions({
      RUNOMETER_OTLP: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/otlp',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20abc,X-Scope-OrgID=tenant',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_METRIC_EXPORT_INTERVAL: '60000',
    }),
  ).toEqual({
    url: 'http://collector:4318/otlp/v1/metrics',
    headers: { Authorization: 'Bearer abc', 'X-Scope-OrgID': 'tenant' },
    timeout: 3000,
    interval: 60000,
    gzipThreshold: 0,
    contentType: 'application/json',
  });
});

test('RUNOMETER_PUSH_INTERVAL, where set, wins over OTEL_METRIC_EXPORT_INTERVAL', () => {
  expect(pushOptions({ RUNOMETER_OTLP: '1', RUNOMETER_PUSH_INTERVAL: '5000', OTEL_METRIC_EXPORT_INTERVAL: '60000' })).toEqual({
    url: 'http://localhost:4318/v1/metrics',
    interval: 5000,
    contentType: 'application/x-protobuf',
  });
});

test("a refused OpenTelemetry variable is named, in fromOtelEnvironment's words, and a header's value never shown", () => {
  const refusal = (env: Record<string, string>) => pushOptionsOf(readSettings(env).settings, env, fromOtelEnvironment);
  expect(refusal({ RUNOMETER_OTLP: '1', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/thrift' })).toEqual({
    refusal: { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', reason: 'must be http/protobuf or http/json, got "http/thrift"' },
  });
  expect(refusal({ RUNOMETER_OTLP: '1', OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'Authorization' })).toEqual({
    refusal: {
      name: 'OTEL_EXPORTER_OTLP_METRICS_HEADERS',
      reason: 'is refused: entry 1 has no "=" (the format is key=value,key2=value2)',
    },
  });
});

test("what new Pusher() refuses is named under the variable that gave it: OpenTelemetry's without its value, ours with it", () => {
  expect(pusherRefused({ RUNOMETER_OTLP: '1', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://user:secret@collector:4318' })).toEqual({
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    reason: 'is refused: Pusher option url must not hold credentials (fetch refuses them): give token, or headers: { Authorization }',
  });
  expect(pusherRefused({ RUNOMETER_OTLP: '1', OTEL_METRIC_EXPORT_INTERVAL: '9999999999' })).toEqual({
    name: 'OTEL_METRIC_EXPORT_INTERVAL',
    reason: 'is refused: Pusher option interval must be at most 2147483647 ms (what setTimeout can wait), got 9999999999',
  });
  expect(pusherRefused({ RUNOMETER_OTLP: '1', RUNOMETER_PUSH_INTERVAL: '9999999999', OTEL_METRIC_EXPORT_INTERVAL: '1000' })).toEqual({
    name: 'RUNOMETER_PUSH_INTERVAL',
    reason: '"9999999999": Pusher option interval must be at most 2147483647 ms (what setTimeout can wait), got 9999999999',
  });
  expect(pusherRefused({ RUNOMETER_PUSH_URL: 'http://influxdb:8086' })).toEqual({
    name: 'RUNOMETER_PUSH_URL',
    reason:
      '"http://influxdb:8086": Pusher option url "http://influxdb:8086" has no path: give database (InfluxDB 1.x), bucket (InfluxDB 2.x/3.x), ' +
      'or the full URL to POST to (Telegraf http_listener_v2: …/telegraf; VictoriaMetrics: …/write)',
  });
});
