import { describe, expect, test, vi } from 'vitest';
import { gzippedBody, prefersGzip } from './gzip.js';

// What gzippedBody loads when it first gzips: the runtime's own node:zlib.
const zlib = process.getBuiltinModule('node:zlib');

describe('prefersGzip', () => {
  test.each([
    ['gzip', true],
    ['gzip, deflate, br', true],
    ['GZip', true],
    ['deflate, gzip', true],
    ['*', true],
    ['br;q=1, gzip;q=0.5', true],
    ['gzip;q=0.5, deflate;q=0.5', true],
    [' gzip ; q = 0.8 , deflate;q=0.7', true],
    ['gzip;q=0.5, deflate', false],
    ['deflate', false],
    ['gzip;q=0', false],
    ['*;q=0', false],
    ['gzip;q=2', false],
    ['gzip;q=abc', false],
    ['identity', false],
    ['', false],
  ])('Accept-Encoding %j: %s', (acceptEncoding, expected) => {
    expect(prefersGzip(acceptEncoding)).toBe(expected);
  });
});

describe('gzippedBody', () => {
  test('gzips a body of 1024 bytes or more once, however many times it is asked for', () => {
    const gzipSync = vi.spyOn(zlib, 'gzipSync');
    const text = 'é'.repeat(512);
    const body = { content: text, bytes: 1024 };
    const first = gzippedBody(body);
    expect(zlib.gunzipSync(first!).toString()).toBe(text);
    expect(gzippedBody(body)).toBe(first);
    expect(gzipSync).toHaveBeenCalledTimes(1);
    gzipSync.mockRestore();
  });

  test('leaves a smaller body as it is', () => {
    expect(gzippedBody({ content: 'x'.repeat(1023), bytes: 1023 })).toBeUndefined();
  });
});
