import { describe, expect, test } from 'vitest';
import { lineProtocolEncoder } from './line-protocol-encoder.js';
import { checkOptions, type PusherOptions } from './options.js';

const writeUrl = (options: PusherOptions) => checkOptions(options).target.writeUrl;

describe('where the lines go', () => {
  test.each([
    [{ url: 'http://127.0.0.1:8086', database: 'runometer' }, 'http://127.0.0.1:8086/write?db=runometer&precision=ns'],
    [
      { url: 'http://127.0.0.1:8086/', database: 'a b', retentionPolicy: 'weekly' },
      'http://127.0.0.1:8086/write?db=a+b&rp=weekly&precision=ns',
    ],
    [
      { url: 'https://influx.example/proxy/', org: 'acme', bucket: 'runometer' },
      'https://influx.example/proxy/api/v2/write?org=acme&bucket=runometer&precision=ns',
    ],
    [{ url: 'http://127.0.0.1:8181', bucket: 'runometer' }, 'http://127.0.0.1:8181/api/v2/write?bucket=runometer&precision=ns'],
    [{ url: 'http://127.0.0.1:8080/telegraf' }, 'http://127.0.0.1:8080/telegraf'],
    [{ url: 'http://127.0.0.1:8428/write?extra_label=job=batch' }, 'http://127.0.0.1:8428/write?extra_label=job=batch'],
  ])('%o → %s', (options, url) => {
    expect(writeUrl(options)).toBe(url);
  });

  test('the token becomes an Authorization header, after the headers given', () => {
    expect(
      checkOptions({ url: 'http://127.0.0.1:8086', bucket: 'b', token: 't', headers: { Authorization: 'Basic x', 'X-A': '1' } }).target
        .headers,
    ).toEqual({
      'Content-Type': 'text/plain; charset=utf-8',
      Authorization: 'Token t',
      'X-A': '1',
    });
  });
});

describe('defaults', () => {
  test('the README says them', () => {
    const { target, onError, container, ...rest } = checkOptions({ url: 'http://127.0.0.1:8428/write' });
    expect(rest).toEqual({
      interval: 10_000,
      timeout: 5000,
      minRetryDelay: 1000,
      maxRetryDelay: 10_000,
      maxBufferPoints: 10_000,
      maxBatchPoints: 5000,
      gzipThreshold: 1000,
      closeTimeout: 5000,
      flushOnSignals: true,
      encoder: lineProtocolEncoder,
    });
    expect([onError, container]).toEqual([undefined, undefined]);
  });

  test('maxRetryDelay follows the interval, and maxBatchPoints a smaller buffer', () => {
    const checked = checkOptions({ url: 'http://127.0.0.1:8428/write', interval: 60_000, maxBufferPoints: 100 });
    expect([checked.maxRetryDelay, checked.maxBatchPoints]).toEqual([60_000, 100]);
  });
});

describe('a bad option throws an error that names it', () => {
  const url = 'http://127.0.0.1:8428/write';
  test.each([
    [{}, 'Pusher option url is required: where to push (see the README for each destination)'],
    [{ url: 'ftp://127.0.0.1/write' }, 'Pusher option url must be http or https, got "ftp://127.0.0.1/write"'],
    [{ url: 'ftp://admin:PW@127.0.0.1/write' }, 'Pusher option url must be http or https, got "ftp://***@127.0.0.1/write"'],
    [
      { url: 'http://127.0.0.1:8086/?u=admin&p=PW', database: 'db' },
      `Pusher option url "http://127.0.0.1:8086/?u=admin&p=***" has a query: with database or bucket, give the server's base URL`,
    ],
    [
      { url: 'http://127.0.0.1:8086?token=T' },
      'Pusher option url "http://127.0.0.1:8086?token=***" has no path: give database (InfluxDB 1.x), bucket (InfluxDB 2.x/3.x), or the full URL to POST to (Telegraf http_listener_v2: …/telegraf; VictoriaMetrics: …/write)',
    ],
    [{ url: 'http://admin:PW@[::1' }, 'Pusher option url must be an absolute http(s) URL, got "http://***@[::1"'],
    [
      { url: 'http://user:pw@127.0.0.1:8428/write' },
      'Pusher option url must not hold credentials (fetch refuses them): give token, or headers: { Authorization }',
    ],
    [{ url: '127.0.0.1:8086' }, 'Pusher option url must be an absolute http(s) URL, got "127.0.0.1:8086"'],
    [
      { url: 'http://127.0.0.1:8086' },
      'Pusher option url "http://127.0.0.1:8086" has no path: give database (InfluxDB 1.x), bucket (InfluxDB 2.x/3.x), or the full URL to POST to (Telegraf http_listener_v2: …/telegraf; VictoriaMetrics: …/write)',
    ],
    [
      { url: 'http://127.0.0.1:8086/write', database: 'db' },
      `Pusher option url "http://127.0.0.1:8086/write" already ends with a write path: with database or bucket, give the server's base URL`,
    ],
    [
      { url: 'http://127.0.0.1:8086/?db=x', database: 'db' },
      `Pusher option url "http://127.0.0.1:8086/?db=x" has a query: with database or bucket, give the server's base URL`,
    ],
    [
      { url, database: 'db', bucket: 'b' },
      'Pusher options database (InfluxDB 1.x) and bucket/org (InfluxDB 2.x/3.x) exclude each other: give one destination',
    ],
    [{ url, org: 'acme' }, 'Pusher option org needs bucket: InfluxDB 2.x writes to a bucket of the org'],
    [{ url, retentionPolicy: 'weekly' }, 'Pusher option retentionPolicy needs database (InfluxDB 1.x)'],
    [{ url, database: '' }, 'Pusher option database must be a non-empty string, got ""'],
    [{ url, token: 42 }, 'Pusher option token must be a non-empty string, got 42'],
    [{ url, headers: { 'X-A': 1 } }, 'Pusher option headers.X-A must be a string, got 1'],
    [{ url, interval: 0 }, 'Pusher option interval must be a positive finite number of milliseconds, got 0'],
    [{ url, timeout: '5s' }, 'Pusher option timeout must be a positive finite number of milliseconds, got "5s"'],
    [{ url, interval: 2 ** 31 }, 'Pusher option interval must be at most 2147483647 ms (what setTimeout can wait), got 2147483648'],
    [
      { url, maxRetryDelay: 1e12 },
      'Pusher option maxRetryDelay must be at most 2147483647 ms (what setTimeout can wait), got 1000000000000',
    ],
    [{ url, closeTimeout: Infinity }, 'Pusher option closeTimeout must be a positive finite number of milliseconds, got Infinity'],
    [{ url, minRetryDelay: 2000, maxRetryDelay: 1000 }, 'Pusher option maxRetryDelay (1000) must be at least minRetryDelay (2000)'],
    [{ url, maxBufferPoints: 1.5 }, 'Pusher option maxBufferPoints must be a positive integer, got 1.5'],
    [{ url, maxBatchPoints: 20_000 }, 'Pusher option maxBatchPoints (20000) must be at most maxBufferPoints (10000)'],
    [{ url, gzipThreshold: -1 }, 'Pusher option gzipThreshold must be a number of bytes ≥ 0 (Infinity: never gzip), got -1'],
    [{ url, flushOnSignals: 'yes' }, 'Pusher option flushOnSignals must be a boolean, got "yes"'],
    [{ url, onError: 'log' }, 'Pusher option onError must be a function, got "log"'],
    [
      { url, encoder: { contentType: 'application/json', body: () => new Uint8Array() } },
      'Pusher option encoder must be a PushEncoder (contentType, points, body, refusal, optionally partialRefusal, describe), got object',
    ],
  ])('%o', (options, message) => {
    expect(() => checkOptions(options as unknown as PusherOptions)).toThrow(message);
  });

  test('no options at all', () => {
    expect(() => checkOptions(undefined as unknown as PusherOptions)).toThrow(
      'Pusher options must be an object with at least url, got undefined',
    );
  });
});
