import { describe, expect, test } from 'vitest';
import { prefersHtml } from './prefers-html.js';

// What clients send, verbatim.
const CHROME =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const CURL = '*/*';
const PROMETHEUS_2_42 =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_3 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,' +
  'text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const TELEGRAF_PROMETHEUS =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.1';

describe('prefersHtml at the endpoint: HTML only when it outranks every format', () => {
  test.each([
    ['Chrome', CHROME, true],
    ['Firefox and Safari', FIREFOX, true],
    ['curl and fetch', CURL, false],
    ["Telegraf's inputs.http (no Accept)", undefined, false],
    ['an empty Accept', '  ', false],
    ['Prometheus 2.42', PROMETHEUS_2_42, false],
    ['Prometheus 3', PROMETHEUS_3, false],
    ["Telegraf's inputs.prometheus", TELEGRAF_PROMETHEUS, false],
    ['text/html alone', 'text/html', true],
    ['text/html, with a charset', 'text/html;charset=utf-8', true],
    ['the page polling', 'application/json', false],
    // Equal q: the more specific range, then the earlier one; a tie of both goes to the format.
    ['text/html and */* at equal q', 'text/html, */*', true],
    ['text/plain and text/html at equal q', 'text/plain, text/html', false],
    ['text/html and text/plain at equal q', 'text/html, text/plain', true],
    ['text/*: line protocol comes first', 'text/*', false],
    // Higher q wins, whatever the order.
    ['text/html below application/json', 'text/html;q=0.5, application/json', false],
    ['text/html above application/json', 'application/json;q=0.5, text/html', true],
    ['text/html above a wildcard', 'text/html;q=0.9, */*;q=0.8', true],
    // q=0 refuses HTML even when a wildcard would take it.
    ['text/html refused', 'text/html;q=0, */*', false],
    ['every format refused', 'text/plain;q=0, application/*;q=0, text/html;q=0.1', true],
    ['in any case', 'TEXT/HTML', true],
  ])('%s', (_client, accept, expected) => {
    expect(prefersHtml(accept, false)).toBe(expected);
  });
});

describe('prefersHtml at /view: HTML unless a format outranks it', () => {
  test.each([
    ['Chrome', CHROME, true],
    ['curl and fetch', CURL, true],
    ['no Accept', undefined, true],
    ['text/*', 'text/*', true],
    ['the page polling', 'application/json', false],
    ['Prometheus 3', PROMETHEUS_3, false],
    ['a format at equal q but more specific', '*/*, text/plain', false],
    ['text/html refused', 'text/html;q=0', false],
    ['nothing we serve', 'image/png', false],
  ])('%s', (_client, accept, expected) => {
    expect(prefersHtml(accept, true)).toBe(expected);
  });
});
