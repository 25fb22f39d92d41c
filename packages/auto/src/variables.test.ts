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
