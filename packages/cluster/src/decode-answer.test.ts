import { MAX_SERIES_KEY_BYTES } from '@runometer/core/format';
import { describe, expect, test } from 'vitest';
import { tagsOf } from './tags.js';
import { decodeAnswer, knownSpecs, MAX_ANSWER_CHARACTERS, MAX_SPECS_PER_REPORTER } from './decode-answer.js';
import type { WireAnswer, WirePoint, WireSpec } from './wire.js';

const extra = tagsOf({ pid: '42', worker: '3' });
const gauge = (key: string): WireSpec => ({ key, type: 'float', kind: 'gauge' });
const histogram = (buckets: number[]): WireSpec => ({ key: 'h', type: 'float', kind: 'histogram', buckets });
const answerOf = (
  points: WirePoint[],
  { measurement = 'm', specs = [gauge('k')] }: { measurement?: string; specs?: WireSpec[] } = {},
): WireAnswer => ({
  reporter: 'r',
  firstSpec: 0,
  specs,
  snapshots: [[measurement, null, points]],
});
const tagsDecoded = (flatTags: string[]) => decodeAnswer(answerOf([[null, flatTags, [0, 1]]]), knownSpecs(), extra)[0]!.points[0]!.tags;

describe("the primary reads a worker's answer as another process's input", () => {
  test('tags that arrive unsorted are sorted, and a worker cannot add a second worker or pid tag', () => {
    expect(tagsDecoded(['zone', 'z', 'worker', 'fake', 'pid', '1', 'app', 'a'])).toEqual([
      { key: 'app', value: 'a' },
      { key: 'pid', value: '42' },
      { key: 'worker', value: '3' },
      { key: 'zone', value: 'z' },
    ]);
  });

  test('tags are sorted by their UTF-8 bytes, as core sorts them', () => {
    expect(tagsDecoded(['\u{1F600}', 'a', '\uFF21', 'b']).map(({ key }) => key)).toEqual(['pid', 'worker', '\uFF21', '\u{1F600}']);
  });

  test.each([
    [
      'a line feed in the measurement',
      answerOf([[null, [], [0, 1]]], { measurement: 'm\nx' }),
      'answer refused: measurement name "m\\nx" contains the control character U+000a, which line protocol cannot carry',
    ],
    [
      'a measurement that makes its line a comment',
      answerOf([[null, [], [0, 1]]], { measurement: '#m' }),
      'answer refused: measurement name "#m" starts with "#", which makes its line a comment',
    ],
    [
      'a line feed in a tag key',
      answerOf([[null, ['a\nb', 'v'], [0, 1]]]),
      'answer refused: tag key "a\\nb" contains the control character U+000a, which line protocol cannot carry',
    ],
    [
      'a reserved tag key',
      answerOf([[null, ['time', 'v'], [0, 1]]]),
      'answer refused: tag key "time" is reserved: InfluxDB 1.x rejects it',
    ],
    [
      'a line feed in a field key',
      answerOf([[null, [], [0, 1]]], { specs: [gauge('k\ny')] }),
      'answer refused: field key "k\\ny" contains the control character U+000a, which line protocol cannot carry',
    ],
    [
      'a backslash in a field key',
      answerOf([[null, [], [0, 1]]], { specs: [gauge('k\\')] }),
      'answer refused: field key "k\\\\" contains a backslash, which line protocol cannot carry',
    ],
    [
      'one tag key twice on a line',
      answerOf([[null, ['a', '1', 'b', '2', 'a', '3'], [0, 1]]]),
      'answer refused: tag key "a" twice on one line',
    ],
    [
      'one field key twice on a line',
      answerOf([[null, [], [0, 1, 1, 2]]], { specs: [gauge('k'), { ...gauge('k'), help: 'Another help.' }] }),
      'answer refused: field key "k" twice on one line',
    ],
    ['a spec index that is not one', answerOf([[null, [], ['length', 1]]]), 'answer refused: a field of unknown spec "length"'],
    [
      'a timestamp beyond int64',
      { ...answerOf([[null, [], [0, 1]]]), snapshots: [['m', '9223372036854775808', [[null, [], [0, 1]]]]] } satisfies WireAnswer,
      'answer refused: a timestamp that is not an integer from 0 to 2^63-1',
    ],
    [
      'a histogram without buckets',
      answerOf([[null, [], [0, [0, 0]]]], { specs: [{ key: 'h', type: 'float', kind: 'histogram' }] }),
      'answer refused: spec "h" is a histogram without buckets',
    ],
    [
      'buckets on a gauge',
      answerOf([[null, [], [0, 1]]], { specs: [{ ...gauge('k'), buckets: [1] }] }),
      'answer refused: spec "k" is a gauge with buckets',
    ],
    [
      'bounds out of order',
      answerOf([[null, [], [0, [0, 0, 0]]]], { specs: [histogram([2, 1])] }),
      'answer refused: histogram spec "h" has bucket bounds 2 then 1 at index 1; bounds must be strictly increasing',
    ],
    [
      'a histogram value that is not an array',
      answerOf([[null, [], [0, 3]]], { specs: [histogram([1])] }),
      'answer refused: histogram field "h" has a value that is not [sum, counts…]',
    ],
    [
      'counts that do not fit the bounds',
      answerOf([[null, [], [0, [1, 1]]]], { specs: [histogram([1])] }),
      'answer refused: histogram field "h": histogram counts must have 2 entries (one per bound, and one above the last), got 1',
    ],
    [
      'a histogram beside a tag le',
      answerOf([[null, ['le', '1'], [0, [0, 0, 0]]]], { specs: [histogram([1])] }),
      'answer refused: a line with a histogram and a tag "le", which its buckets take',
    ],
    [
      'a help that is not a string',
      answerOf([[null, [], [0, 1]]], { specs: [{ ...gauge('k'), help: 7 as unknown as string }] }),
      'answer refused: spec "k" has a help that is not a string',
    ],
    [
      "a unit that is not one of core's",
      answerOf([[null, [], [0, 1]]], { specs: [{ ...gauge('k'), unit: 'furlongs' as never }] }),
      `answer refused: spec "k" has a unit that is not one of core's`,
    ],
    [
      'a series key over InfluxDB’s limit once the worker’s tags are in',
      answerOf([[null, ['a', 'x'.repeat(MAX_SERIES_KEY_BYTES - 10)], [0, 1]]]),
      `answer refused: a line whose series key is ${MAX_SERIES_KEY_BYTES - 10 + 'm,a='.length + ',pid=42,worker=3'.length} bytes, over InfluxDB's limit of ${MAX_SERIES_KEY_BYTES}`,
    ],
    [
      'a histogram whose bucket lines’ series key would be over the limit with their ,le=',
      answerOf([[null, ['a', 'x'.repeat(MAX_SERIES_KEY_BYTES - 29)], [0, [0, 0, 0]]]], { specs: [histogram([0.0005])] }),
      `answer refused: a line whose series key is ${MAX_SERIES_KEY_BYTES - 29 + 'm,a='.length + ',pid=42,worker=3'.length + ',le=0.0005'.length} bytes on its histogram's bucket lines (with their ",le="), over InfluxDB's limit of ${MAX_SERIES_KEY_BYTES}`,
    ],
  ])('refuses %s, naming it, and keeps what it held', (_, answer, message) => {
    const known = knownSpecs();
    expect(() => decodeAnswer(answer, known, extra)).toThrow(message);
    expect(known).toEqual(knownSpecs());
  });

  test(`refuses an answer of more than ${MAX_ANSWER_CHARACTERS} characters (strings by their length, any other value as 8), naming the bound`, () => {
    const value = 'x'.repeat(1000);
    const points: WirePoint[] = Array.from(
      { length: Math.ceil(MAX_ANSWER_CHARACTERS / 1000) },
      (): WirePoint => [null, ['a', value], [0, 'v']],
    );
    const specs = [{ key: 'k', type: 'string', kind: 'gauge' } as const];
    expect(() => decodeAnswer(answerOf(points, { specs }), knownSpecs(), extra)).toThrow(
      `answer refused: larger than ${MAX_ANSWER_CHARACTERS} characters (strings by their length, any other value as 8), the most a worker may send`,
    );
    // Just under the bound, it is read.
    const fewer = points.slice(0, Math.floor(MAX_ANSWER_CHARACTERS / 1020) - 1);
    expect(decodeAnswer(answerOf(fewer, { specs }), knownSpecs(), extra)[0]!.points).toHaveLength(fewer.length);
  });

  test(`refuses specs beyond the ${MAX_SPECS_PER_REPORTER} a reporter may grow to, over several answers`, () => {
    const known = knownSpecs();
    const specs = Array.from({ length: MAX_SPECS_PER_REPORTER }, (_, i) => gauge(`k${i}`));
    decodeAnswer({ reporter: 'r', firstSpec: 0, specs, snapshots: [] }, known, extra);
    expect(known.specs).toHaveLength(MAX_SPECS_PER_REPORTER);
    expect(() =>
      decodeAnswer({ reporter: 'r', firstSpec: MAX_SPECS_PER_REPORTER, specs: [gauge('one_more')], snapshots: [] }, known, extra),
    ).toThrow(`answer refused: ${MAX_SPECS_PER_REPORTER + 1} field specs, over the ${MAX_SPECS_PER_REPORTER} a reporter may grow to`);
    expect(known.specs).toHaveLength(MAX_SPECS_PER_REPORTER);
  });
});
