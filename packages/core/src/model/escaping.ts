// How line protocol escapes a meter's names and tag values. Part of the model, not of one format:
// registration escapes each field key once, and a series key's length is counted escaped.

const MEASUREMENT_SPECIALS = /[, ]/g;
const HAS_MEASUREMENT_SPECIAL = /[, ]/;
const KEY_SPECIALS = /[, =]/g;
const HAS_KEY_SPECIAL = /[, =]/;
const TAG_CONTROLS = /[\t\n\f\r]/g;
const NEEDS_TAG_WORK = /[\t\n\f\r\\]/;
const TRAILING_BACKSLASHES = /\\+$/;
const BACKSLASHES_BEFORE_QUOTE = /\\+"/g;

// Each escaper tests before it replaces: a replace that finds nothing still costs several times a test.
export function escapeMeasurement(name: string): string {
  return HAS_MEASUREMENT_SPECIAL.test(name) ? name.replace(MEASUREMENT_SPECIALS, '\\$&') : name;
}

/** Tag keys, tag values and field keys escape the same three characters. */
export function escapeKey(key: string): string {
  return HAS_KEY_SPECIAL.test(key) ? key.replace(KEY_SPECIALS, '\\$&') : key;
}

/**
 * What a tag value becomes so that InfluxDB and Telegraf both read it back unchanged:
 * tabs and line breaks become spaces, trailing backslashes go (every parser rejects them),
 * and backslashes before a double quote go (Telegraf drops one of them whenever the value
 * also holds a space, comma or equals sign; InfluxDB keeps them). Returns '' when nothing is left,
 * and the caller omits the tag.
 */
export function normalizeTagValue(value: string): string {
  if (!NEEDS_TAG_WORK.test(value)) return value;
  return value.replace(TAG_CONTROLS, ' ').replace(TRAILING_BACKSLASHES, '').replace(BACKSLASHES_BEFORE_QUOTE, '"');
}
