import { expect, test } from 'vitest';
import { readSettings, VARIABLES } from './variables.js';

const defaults = Object.fromEntries(Object.entries(VARIABLES).map(([key, declared]) => [key, declared.fallback]));

test('unset or empty, every variable gives its fallback', () => {
  expect(readSettings({})).toEqual({ settings: defaults, refusals: [] });
  const empty = Object.fromEntries(Object.values(VARIABLES).map(({ name }) => [name, '']));
  expect(readSettings(empty)).toEqual({ settings: defaults, refusals: [] });
});

test('each variable read into its setting', () => {
  const { settings, refusals } = readSettings({
    RUNOMETER_DISABLED: 'On',
    RUNOMETER_PRESETS: 'memory, @runometer/preset-http,@acme/preset-redis',
    RUNOMETER_PORT: '0',
    RUNOMETER_HOST: '0.0.0.0',
    RUNOMETER_PATH: '/ops/metrics',
    RUNOMETER_TOKEN: 's3cret',
    RUNOMETER_PUSH_URL: 'http://127.0.0.1:8086/write?db=runometer',
    RUNOMETER_PUSH_TOKEN: 'user:pass',
    RUNOMETER_PUSH_INTERVAL: '2500',
    RUNOMETER_TAGS: 'app=checkout, env=prod',
    RUNOMETER_MEASUREMENT: 'checkout',
  });
  expect(refusals).toEqual([]);
  expect(settings).toEqual({
    disabled: true,
    presets: ['@runometer/preset-memory', '@runometer/preset-http', '@acme/preset-redis'],
    port: 0,
    host: '0.0.0.0',
    path: '/ops/metrics',
    token: 's3cret',
    username: undefined,
    password: undefined,
    pushUrl: 'http://127.0.0.1:8086/write?db=runometer',
    pushToken: 'user:pass',
    otlp: false,
    pushInterval: 2500,
    tags: [
      ['app', 'checkout'],
      ['env', 'prod'],
    ],
    measurement: 'checkout',
  });
});

test('a refused variable is named with its value and why; a credential is never shown', () => {
  expect(
    readSettings({
      RUNOMETER_DISABLED: 'maybe',
      RUNOMETER_PORT: '65536',
      RUNOMETER_PUSH_INTERVAL: '1.5',
      RUNOMETER_TAGS: 'app=checkout,env',
      RUNOMETER_PRESETS: 'memory,,http',
      RUNOMETER_PASSWORD: 'hunter2',
    }).refusals,
  ).toEqual([
    { name: 'RUNOMETER_DISABLED', reason: '"maybe" is not one of 1, true, yes, on, 0, false, no, off' },
    { name: 'RUNOMETER_PRESETS', reason: '"memory,,http" is not a comma-separated list of package names' },
    { name: 'RUNOMETER_PORT', reason: '"65536" is not a port (an integer from 0 to 65535)' },
    { name: 'RUNOMETER_PUSH_INTERVAL', reason: '"1.5" is not a positive whole number of milliseconds' },
    { name: 'RUNOMETER_TAGS', reason: '"app=checkout,env" is not a comma-separated list of key=value' },
    { name: 'RUNOMETER_PASSWORD', reason: 'is set without RUNOMETER_USERNAME: basic auth needs both' },
  ]);
});

test('a token and basic auth together are refused', () => {
  expect(readSettings({ RUNOMETER_TOKEN: 't', RUNOMETER_USERNAME: 'u', RUNOMETER_PASSWORD: 'p' }).refusals).toEqual([
    { name: 'RUNOMETER_TOKEN', reason: 'and RUNOMETER_USERNAME/RUNOMETER_PASSWORD are both set: give one kind of auth' },
  ]);
});

test("RUNOMETER_OTLP turns OTLP on; OpenTelemetry's variables alone, which an OpenTelemetry SDK in the app reads too, do not", () => {
  expect(readSettings({ RUNOMETER_OTLP: 'yes' })).toEqual({ settings: { ...defaults, otlp: true }, refusals: [] });
  expect(
    readSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://c:4318/v1/metrics' }),
  ).toEqual({
    settings: defaults,
    refusals: [],
  });
  expect(readSettings({ RUNOMETER_OTLP: 'otlp' }).refusals).toEqual([
    { name: 'RUNOMETER_OTLP', reason: '"otlp" is not one of 1, true, yes, on, 0, false, no, off' },
  ]);
});

test("RUNOMETER_OTLP with RUNOMETER_PUSH_URL, or with RUNOMETER_PUSH_TOKEN (line protocol's), is refused", () => {
  expect(readSettings({ RUNOMETER_OTLP: '1', RUNOMETER_PUSH_URL: 'http://127.0.0.1:8086/write?db=r' }).refusals).toEqual([
    { name: 'RUNOMETER_OTLP', reason: 'and RUNOMETER_PUSH_URL are both set: push OTLP or line protocol, not both' },
  ]);
  expect(readSettings({ RUNOMETER_OTLP: '1', RUNOMETER_PUSH_TOKEN: 't' }).refusals).toEqual([
    { name: 'RUNOMETER_PUSH_TOKEN', reason: "is set with RUNOMETER_OTLP: OTLP's headers are OTEL_EXPORTER_OTLP_HEADERS (Authorization=…)" },
  ]);
  expect(
    readSettings({ RUNOMETER_OTLP: '0', RUNOMETER_PUSH_URL: 'http://127.0.0.1:8086/write?db=r', RUNOMETER_PUSH_TOKEN: 't' }).refusals,
  ).toEqual([]);
});
