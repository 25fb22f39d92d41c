import { Runometer, snapshotsOf } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { tagsOf, withTags } from './tags.js';

// U+FF01 is EF BC 81 in UTF-8 and FF01 in UTF-16; U+1F600 is F0 9F 98 80 and D83D DE00: the two
// orders disagree, and InfluxDB's (and core's) is the bytes'.
const BMP_HIGH = '\uff01';
const ASTRAL = '\u{1F600}';

describe('tags', () => {
  test('tagsOf sorts keys by their UTF-8 bytes, as a meter sorts its own tags', async () => {
    const pairs = { [ASTRAL]: 'astral', [BMP_HIGH]: 'bmp', a: 'ascii' };
    const meter = new Runometer('m').addField('f', () => 1);
    for (const [key, value] of Object.entries(pairs)) meter.addTag(key, value);
    const [snapshot] = snapshotsOf(await meter.collect());
    expect(tagsOf(pairs).map((tag) => tag.key)).toEqual(['a', BMP_HIGH, ASTRAL]);
    expect(tagsOf(pairs)).toEqual(snapshot!.points[0]!.tags);
    await meter.close();
  });

  test('withTags merges in byte order, and an extra tag replaces the point’s own of the same key', () => {
    const own = tagsOf({ a: '1', [ASTRAL]: 'own' });
    const extra = tagsOf({ [BMP_HIGH]: 'x', [ASTRAL]: 'extra' });
    expect(withTags(own, extra)).toEqual([
      { key: 'a', value: '1' },
      { key: BMP_HIGH, value: 'x' },
      { key: ASTRAL, value: 'extra' },
    ]);
  });
});
