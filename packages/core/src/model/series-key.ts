import { escapeKey, escapeMeasurement } from './escaping.js';
import type { Tag } from './snapshot.js';

/**
 * InfluxDB 1.x refuses a line whose series key (measurement and tag set, escaped, as written)
 * is longer than this many bytes, and with it the whole write.
 */
export const MAX_SERIES_KEY_BYTES = 65535;

/** The UTF-8 length of `text`, as TextEncoder would write it (a lone surrogate as U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export function measurementBytes(measurement: string): number {
  return utf8Length(escapeMeasurement(measurement));
}

/** What `,key=value` adds to a series key. */
export function tagBytes(tag: Tag): number {
  return 2 + utf8Length(escapeKey(tag.key)) + utf8Length(escapeKey(tag.value));
}

/**
 * At most what the tags add to a series key: a UTF-16 unit is at most 3 UTF-8 bytes, and an
 * escaped character (ASCII) 2. Cheap: a key whose bound fits needs no exact count.
 */
export function tagBytesBound(tags: readonly Tag[]): number {
  let units = 0;
  for (const tag of tags) units += tag.key.length + tag.value.length + 2;
  return units * 3;
}

/**
 * The bytes of the series key of `measurement` with `tags`, and `extraBytes` more (what a
 * histogram's `,le=` adds to its bucket lines: `leTagBytes`), when it is over InfluxDB's limit
 * (MAX_SERIES_KEY_BYTES); undefined when it fits, found without counting when far from it.
 */
export function seriesKeyOverflow(measurement: string, tags: readonly Tag[], extraBytes = 0): number | undefined {
  if (3 * measurement.length + tagBytesBound(tags) + extraBytes <= MAX_SERIES_KEY_BYTES) return undefined;
  let bytes = measurementBytes(measurement) + extraBytes;
  for (const tag of tags) bytes += tagBytes(tag);
  return bytes > MAX_SERIES_KEY_BYTES ? bytes : undefined;
}
