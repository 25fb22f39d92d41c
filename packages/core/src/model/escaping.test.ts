import { describe, expect, test } from 'vitest';
import { escapeKey, escapeMeasurement, normalizeTagValue } from './escaping.js';

describe('escaping', () => {
  test.each([
    ['cpu', 'cpu'],
    ['my measurement', 'my\\ measurement'],
    ['a,b', 'a\\,b'],
    ['a=b', 'a=b'],
    ['é 𝄞', 'é\\ 𝄞'],
  ])('measurement %j is written %j', (name, written) => {
    expect(escapeMeasurement(name)).toBe(written);
  });

  test.each([
    ['host', 'host'],
    ['a b', 'a\\ b'],
    ['a,b', 'a\\,b'],
    ['a=b', 'a\\=b'],
    [' ,=', '\\ \\,\\='],
    ['C:\\dir', 'C:\\dir'],
  ])('tag key, tag value or field key %j is written %j', (key, written) => {
    expect(escapeKey(key)).toBe(written);
  });

  test.each([
    ['plain', 'plain'],
    ['with space', 'with space'],
    ['tab\tand\nnewline\r\f', 'tab and newline  '],
    ['C:\\dir\\', 'C:\\dir'],
    ['ends\\\\\\', 'ends'],
    ['\\', ''],
    ['a\\,b', 'a\\,b'],
    ['a\\\\,b', 'a\\\\,b'],
    ['a\\\\\\ b', 'a\\\\\\ b'],
    ['a\\=b', 'a\\=b'],
    ['a\\b', 'a\\b'],
    ['a\\\\b', 'a\\\\b'],
    ['say \\"hi\\"', 'say "hi"'],
    ['a\\\\"b', 'a"b'],
  ])('tag value %j is normalised to %j', (value, normalised) => {
    expect(normalizeTagValue(value)).toBe(normalised);
  });
});
