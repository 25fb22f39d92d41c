import { describe, expect, test } from 'vitest';
import { MAX_RETRY_AFTER_MS, retryAfter, retryDelay } from './backoff.js';

describe('retryDelay: full jitter over an exponential backoff', () => {
  test('a random wait from 0 up to minDelay · 2^(retry − 1)', () => {
    const highest = () => 0.999_999;
    expect([1, 2, 3, 4].map((retry) => retryDelay(retry, 100, 10_000, highest))).toEqual([99, 199, 399, 799]);
    expect(retryDelay(3, 100, 10_000, () => 0)).toBe(0);
    expect(retryDelay(3, 100, 10_000, () => 0.5)).toBe(200);
  });

  test('capped at maxDelay, however many retries', () => {
    expect(retryDelay(8, 1000, 10_000, () => 0.5)).toBe(5000);
    expect(retryDelay(10_000, 1000, 10_000, () => 0.999_999)).toBe(9999);
  });
});

describe('retryAfter: what Retry-After asks, in ms', () => {
  const now = Date.parse('2026-11-26T01:00:00Z');
  test.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Thu, 26 Nov 2026 01:00:30 GMT', 30_000],
    ['Thu, 26 Nov 2026 00:59:00 GMT', 0],
  ])('%j → %d', (header, ms) => {
    expect(retryAfter(header, now)).toBe(ms);
  });

  test.each([null, '', 'soon', '-5', '1.5'])('%j → undefined', (header) => {
    expect(retryAfter(header, now)).toBeUndefined();
  });
});

describe('retryAfter: clamped to MAX_RETRY_AFTER_MS', () => {
  const now = Date.parse('2026-11-26T01:00:00Z');
  test.each([
    ['3600', 3_600_000],
    ['3601', MAX_RETRY_AFTER_MS],
    ['2147484', MAX_RETRY_AFTER_MS],
    ['9'.repeat(400), MAX_RETRY_AFTER_MS],
    ['Fri, 26 Nov 2100 01:00:00 GMT', MAX_RETRY_AFTER_MS],
  ])('%j → %d, never past what setTimeout can wait', (header, ms) => {
    expect(MAX_RETRY_AFTER_MS).toBe(3_600_000);
    expect(retryAfter(header, now)).toBe(ms);
  });
});
