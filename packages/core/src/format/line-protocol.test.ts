import fc from '../../../../test/fast-check.js';
import { describe, expect, test } from 'vitest';
import { parseLine } from './parse-line-protocol.js';
import { normalizeTagValue } from '../model/escaping.js';
import { formatString, formatValue, toLineProtocol } from './line-protocol.js';
import { Runometer } from '../runometer.js';
import type { Snapshot } from '../model/snapshot.js';

describe('string fields', () => {
  test.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['C:\\temp', '"C:\\\\temp"'],
    ['\\"', '"\\\\\\""'],
    ['a\nb', '"a b"'],
    ['a\r\nb', '"a b"'],
    ['a\rb\fc', '"a b c"'],
    ['tab\there', '"tab\there"'],
    ['', '""'],
  ])('string %j is written %j', (value, written) => {
    expect(formatString(value)).toBe(written);
  });
});

describe('field values', () => {
  test.each([
    [1, '1'],
    [1.5, '1.5'],
    [-2.25, '-2.25'],
    [1e21, '1e+21'],
    [1e-7, '1e-7'],
    [-0, '-0'],
    [0, '0'],
    [Number.MAX_VALUE, '1.7976931348623157e+308'],
    [Number.MIN_VALUE, '5e-324'],
  ])('float %s is written %s', (value, written) => {
    expect(formatValue('float', value)).toBe(written);
  });

  test.each([
    [0, '0i'],
    [-0, '0i'],
    [42, '42i'],
    [-42, '-42i'],
    [2 ** 53, '9007199254740992i'],
    [-(2 ** 63), '-9223372036854775808i'],
    [2 ** 62 + 2 ** 61, '6917529027641081856i'],
    [9223372036854775807n, '9223372036854775807i'],
    [-9223372036854775808n, '-9223372036854775808i'],
  ])('integer %s is written %s', (value, written) => {
    expect(formatValue('integer', value)).toBe(written);
  });

  test('booleans are written true and false', () => {
    expect([formatValue('boolean', true), formatValue('boolean', false)]).toEqual(['true', 'false']);
  });
});

/** One line with a tag `k` and a string field `s`, both holding `value`. */
async function renderOne(value: string): Promise<string> {
  return new Runometer('m', { onError: () => {} })
    .addTag('k', () => value)
    .addField('s', () => value, { type: 'string' })
    .render();
}

/** Whether a tag value passes through unchanged, decided without the normaliser's regular expressions. */
function isPortableTagValue(value: string): boolean {
  return !['\t', '\n', '\f', '\r', '\\"'].some((bad) => value.includes(bad)) && !value.endsWith('\\');
}

const tricky = fc.string({
  unit: fc.oneof(
    fc.constantFrom(',', '=', ' ', '\\', '"', '\n', '\r', '\t', '\f', '#', 'é', '𝄞', 'i'),
    fc.string({ maxLength: 1, unit: 'grapheme' }),
  ),
  maxLength: 24,
});

describe('round trip through a line-protocol parser', () => {
  test('any tag value comes back as its normalised form, and portable values come back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(tricky, fc.string({ unit: 'grapheme' })), async (value) => {
        const parsed = parseLine((await renderOne(value)).slice(0, -1));
        const normalised = normalizeTagValue(value);
        expect(parsed.tags).toEqual(normalised === '' ? {} : { k: normalised });
        expect(normalised === value).toBe(isPortableTagValue(value));
      }),
      { numRuns: 2000 },
    );
  });

  test('any string field comes back unchanged but for line breaks, which become spaces', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(tricky, fc.string({ unit: 'grapheme' })), async (value) => {
        const parsed = parseLine((await renderOne(value)).slice(0, -1));
        expect(parsed.fields['s']).toEqual({ type: 'string', value: value.replace(/\r\n|[\r\n\f]/g, ' ') });
      }),
      { numRuns: 2000 },
    );
  });

  test('any valid measurement, tag key and field key comes back unchanged', async () => {
    const name = fc.string({ unit: fc.constantFrom(',', '=', ' ', '"', 'a', 'é', '𝄞', '#'), minLength: 1, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(name, name, name, async (measurement, tagKey, fieldKey) => {
        fc.pre(!measurement.startsWith('#') && tagKey !== fieldKey);
        const line = await new Runometer(measurement)
          .addTag(tagKey, 'v')
          .addField(fieldKey, () => 1)
          .render();
        expect(parseLine(line.slice(0, -1))).toEqual({
          measurement,
          tags: { [tagKey]: 'v' },
          fields: { [fieldKey]: { type: 'float', value: 1 } },
        });
      }),
      { numRuns: 1000 },
    );
  });

  test('any finite float parses back to the same number, sign of zero included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ noNaN: true, noDefaultInfinity: true }), async (value) => {
        const parsed = parseLine((await new Runometer('m').addField('f', () => value).render()).slice(0, -1));
        expect(Object.is((parsed.fields['f'] as { value: number }).value, value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  test('any int64 parses back to the same integer', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.maxSafeInteger()), async (value) => {
        const line = await new Runometer('m').addField('n', () => value, { type: 'integer' }).render();
        expect(parseLine(line.slice(0, -1)).fields['n']).toEqual({ type: 'integer', value: BigInt(value) });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('toLineProtocol', () => {
  test('several snapshots are written one after the other, each with its own measurement and timestamp', () => {
    const spec = { key: 'n', escapedKey: 'n', type: 'integer', kind: 'gauge' } as const;
    const app: Snapshot = {
      measurement: 'app',
      timestamp: 1_700_000_000_000_000_000n,
      points: [{ tags: [{ key: 'a', value: '1' }], fields: [{ spec, value: 1 }] }],
    };
    const db: Snapshot = {
      measurement: 'db x',
      points: [
        { tags: [], fields: [{ spec, value: 2 }] },
        { series: 's', tags: [{ key: 'q', value: 'm' }], fields: [{ spec, value: 3 }] },
      ],
    };
    expect(toLineProtocol([app, db])).toBe('app,a=1 n=1i 1700000000000000000\ndb\\ x n=2i\ndb\\ x,q=m n=3i\n');
    expect(toLineProtocol([db])).toBe(toLineProtocol(db));
    expect(toLineProtocol([])).toBe('');
  });
});
