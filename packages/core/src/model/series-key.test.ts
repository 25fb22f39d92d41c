import { describe, expect, test } from 'vitest';
import { MAX_SERIES_KEY_BYTES, seriesKeyOverflow } from './series-key.js';

describe('seriesKeyOverflow', () => {
  test('undefined for a key that fits, exactly at the limit too', () => {
    expect(seriesKeyOverflow('m', [{ key: 'a', value: 'b' }])).toBeUndefined();
    // "m,a=" is 4 bytes: the value takes the rest.
    expect(seriesKeyOverflow('m', [{ key: 'a', value: 'x'.repeat(MAX_SERIES_KEY_BYTES - 4) }])).toBeUndefined();
  });

  test("the key's bytes, escapes and UTF-8 counted, when over the limit", () => {
    expect(seriesKeyOverflow('m', [{ key: 'a', value: 'x'.repeat(MAX_SERIES_KEY_BYTES - 3) }])).toBe(MAX_SERIES_KEY_BYTES + 1);
    expect(seriesKeyOverflow('m', [{ key: 'a', value: 'é'.repeat(40_000) }])).toBe(80_004);
    expect(seriesKeyOverflow('m', [{ key: 'a', value: ','.repeat(40_000) }])).toBe(80_004);
  });
});
