import { describe, expect, test } from 'vitest';
import { negotiate } from './formats.js';

const PROMETHEUS_2_42 =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
/** What Prometheus 2.42 sends with --enable-feature=native-histograms: the protobuf exposition first. */
const PROMETHEUS_2_42_NATIVE = `application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,${PROMETHEUS_2_42.replace('version=1.0.0,', 'version=1.0.0;q=0.8,')}`;
const PROTOBUF = 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
const PROMETHEUS_3 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';

describe('negotiate', () => {
  test.each([
    // No preference: line protocol, for Telegraf's inputs.http.
    [undefined, 'influx'],
    ['', 'influx'],
    ['   ', 'influx'],
    ['*/*', 'influx'],
    ['text/plain', 'influx'],
    ['text/*', 'influx'],
    // What Prometheus sends.
    [PROMETHEUS_2_42, 'openmetrics'],
    [PROMETHEUS_3, 'openmetrics'],
    [PROMETHEUS_2_42_NATIVE, 'protobuf'],
    [PROTOBUF, 'protobuf'],
    ['Application/Vnd.Google.Protobuf; proto="io.prometheus.client.MetricFamily"; encoding=delimited', 'protobuf'],
    [`${PROTOBUF};q=0.5, application/json`, 'json'],
    // The protobuf exposition only for a client that names it: never by a wildcard.
    ['application/*, application/openmetrics-text;q=0, application/json;q=0', undefined],
    ['*/*;q=0.1, application/vnd.google.protobuf;encoding=delimited', 'influx'],
    ['*/*;q=0.1, application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text', 'influx'],
    ['text/plain;version=0.0.4;q=0.5,*/*;q=0.1', 'prometheus'],
    ['text/plain;version=1.0.0;escaping=allow-utf-8', 'prometheus'],
    // Quoted values, spaces around ";" and "=", case.
    ['text/plain;version="0.0.4"', 'prometheus'],
    ['text/plain ; version = 0.0.4', 'prometheus'],
    ['TEXT/Plain; Version=0.0.4', 'prometheus'],
    ['application/json;q="0.5", text/plain;q="0.4"', 'json'],
    ['text/plain; version="0.0.4"; q=0.9, application/json; q = 0.8', 'prometheus'],
    // A quoted comma or semicolon separates nothing.
    ['text/plain;foo="a,b;c";version=0.0.4', 'prometheus'],
    // A version of text/plain we do not know is neither format: the wildcard decides.
    ['text/plain;version=9.9, */*;q=0.1', 'influx'],
    ['text/plain;version=9.9, application/json;q=0.1', 'json'],
    // Wildcards by type.
    ['application/*', 'openmetrics'],
    ['application/*;q=0.5, text/*;q=0.4', 'openmetrics'],
    ['application/openmetrics-text', 'openmetrics'],
    ['application/json', 'json'],
    // Highest q wins; among equals the more specific range, then the earlier one.
    ['image/png, application/json;q=0.5', 'json'],
    ['application/json, text/plain', 'json'],
    ['text/plain, application/json', 'influx'],
    ['*/*, application/json', 'json'],
    ['*/*;q=0.8, text/plain;q=0.3', 'prometheus'],
    // A more specific range overrides a wildcard for the format it names.
    ['text/plain;q=0, */*', 'prometheus'],
    ['text/plain;q=0, text/plain;version=0.0.4;q=0, */*', 'openmetrics'],
    // A q outside 0 to 1 or not a number makes its range unacceptable.
    ['application/json;q=2, text/plain;q=0.1', 'influx'],
    ['application/json;q=abc, text/plain;q=0.1', 'influx'],
  ])('Accept %j answers %s', (accept, expected) => {
    expect(negotiate(undefined, accept)?.name).toBe(expected);
  });

  test.each([['*/*;q=0'], ['image/png'], ['application/json;q=0'], ['text/plain;version=9.9'], ['application/xml, text/html'], [',,,']])(
    'Accept %j answers nothing',
    (accept) => {
      expect(negotiate(undefined, accept)).toBeUndefined();
    },
  );

  test.each([
    ['json', 'json'],
    ['JSON', 'json'],
    ['OpenMetrics', 'openmetrics'],
    ['Prometheus', 'prometheus'],
    ['INFLUX', 'influx'],
    ['protobuf', 'protobuf'],
  ])('?format=%s answers %s, whatever Accept says', (parameter, expected) => {
    expect(negotiate(parameter, 'image/png')?.name).toBe(expected);
  });

  test.each([['xml'], [''], ['constructor'], ['__proto__'], ['toString']])('?format=%j answers nothing', (parameter) => {
    expect(negotiate(parameter, undefined)).toBeUndefined();
  });
});
