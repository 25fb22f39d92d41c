import {
  FIELD_KINDS,
  FIELD_TYPES,
  FIELD_UNITS,
  type FieldSample,
  type FieldSpec,
  type FieldValue,
  type Point,
  type Snapshot,
  type Tag,
} from '@runometer/core';
import {
  MAX_SERIES_KEY_BYTES,
  checkBuckets,
  checkKey,
  checkNativeLayout,
  checkMeasurement,
  compareByBytes,
  escapeKey,
  histogramProblem,
  leTagBytes,
  nativeProblem,
  normalizeTagValue,
  seriesKeyOverflow,
} from '@runometer/core/format';
import { withTags } from './tags.js';
import { wireSpecOf, type WireAnswer } from './wire.js';

/**
 * The most an answer may hold, in characters: its strings by their length, any other value as 8
 * (about its JSON size). A worker with the four presets answers 9.6 KB, then 2.4 KB; a bound 400 times that
 * keeps one worker from making the primary hold and render an unbounded body for everyone.
 */
export const MAX_ANSWER_CHARACTERS = 4 * 2 ** 20;
const OTHER_VALUE_CHARACTERS = 8;

/**
 * The most field specs the primary holds for one reporter, over all its answers: a worker with the
 * four presets sends 60, each once. A source that makes a new spec at every render would
 * otherwise grow the primary's memory for as long as the worker lives.
 */
export const MAX_SPECS_PER_REPORTER = 10_000;

/** An int64 has at most 19 digits and a sign: longer strings are refused before BigInt reads them. */
const MAX_INTEGER_CHARACTERS = 20;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The specs an aggregator holds of one reporter, by their index; for each, the index of the first of its key. */
export interface KnownSpecs {
  reporter: string | null;
  specs: FieldSpec[];
  firstOfKey: number[];
}

export function knownSpecs(): KnownSpecs {
  return { reporter: null, specs: [], firstOfKey: [] };
}

/** `firstOfKey` of `specs`, `held` of them already numbered. */
function firstOfKeys(specs: readonly FieldSpec[], held: readonly number[]): number[] {
  if (held.length === specs.length) return held as number[];
  const first = new Map<string, number>();
  for (let i = 0; i < held.length; i++) if (held[i] === i) first.set(specs[i]!.key, i);
  return specs.map(({ key }, index) => (index < held.length ? held[index]! : (first.get(key) ?? (first.set(key, index), index))));
}

class RefusedAnswer extends Error {}

function fail(what: string): never {
  throw new RefusedAnswer(`answer refused: ${what}`);
}

/** Core's check of a meter's own tag and field keys; what it throws refuses the answer with its message. */
function checkedKey(kind: 'tag' | 'field', key: string): void {
  try {
    checkKey(kind, key);
  } catch (error) {
    fail((error as Error).message);
  }
}

/** An answer's size, counted as it is read. */
class Size {
  private characters = 0;

  count(value: unknown): void {
    this.characters += typeof value === 'string' ? value.length : OTHER_VALUE_CHARACTERS;
    if (this.characters > MAX_ANSWER_CHARACTERS) {
      fail(
        `larger than ${MAX_ANSWER_CHARACTERS} characters (strings by their length, any other value as ${OTHER_VALUE_CHARACTERS}), the most a worker may send`,
      );
    }
  }
}

function specOf(wire: unknown, size: Size): FieldSpec {
  const { key, type, kind, help, unit, buckets, native } = (wire ?? {}) as Record<string, unknown>;
  if (typeof key !== 'string') fail('a spec without a key');
  checkedKey('field', key);
  if (!FIELD_TYPES.includes(type as never) || !FIELD_KINDS.includes(kind as never)) fail(`spec "${key}" has no known type or kind`);
  if (help !== undefined && typeof help !== 'string') fail(`spec "${key}" has a help that is not a string`);
  if (unit !== undefined && !Object.hasOwn(FIELD_UNITS, unit as PropertyKey)) fail(`spec "${key}" has a unit that is not one of core's`);
  if ((kind === 'histogram') !== (buckets !== undefined))
    fail(`spec "${key}" is a ${String(kind)} ${buckets === undefined ? 'without' : 'with'} buckets`);
  for (const text of [key, type, kind, help, unit]) size.count(text);
  if (native !== undefined && buckets === undefined) fail(`spec "${key}" is a ${String(kind)} with a native layout`);
  if (buckets === undefined) return Object.freeze({ ...wireSpecOf(wire as FieldSpec), escapedKey: escapeKey(key) });
  let bounds: readonly number[] = [];
  let layout: FieldSpec['native'];
  try {
    bounds = checkBuckets(`histogram spec "${key}"`, buckets);
    if (native !== undefined) layout = checkNativeLayout(`histogram spec "${key}"`, native);
  } catch (error) {
    fail((error as Error).message);
  }
  for (let i = 0; i < bounds.length; i++) size.count(bounds[i]);
  if (layout !== undefined) {
    size.count(layout.schema);
    size.count(layout.zeroThreshold);
  }
  return Object.freeze({
    ...wireSpecOf(wire as FieldSpec),
    escapedKey: escapeKey(key),
    buckets: bounds,
    ...(layout === undefined ? {} : { native: layout }),
  });
}

function integerOf(value: string): bigint | undefined {
  if (value.length > MAX_INTEGER_CHARACTERS || !/^-?\d+$/.test(value)) return undefined;
  const integer = BigInt(value);
  return integer >= INT64_MIN && integer <= INT64_MAX ? integer : undefined;
}

/** A histogram's `[sum, count of each bucket…]`, then its native `zero count, offset, counts…` if it has them, checked as a meter checks its own. */
function histogramOf(spec: FieldSpec & { readonly buckets: readonly number[] }, value: unknown, size: Size): FieldValue {
  if (!Array.isArray(value)) return fail(`histogram field "${spec.key}" has a value that is not [sum, counts…]`);
  for (let i = 0; i < value.length; i++) size.count(value[i]);
  const classicEnd = spec.buckets.length + 2;
  const counts = value.slice(1, classicEnd) as number[];
  const histogram = { counts, sum: value[0] as number };
  const problem = histogramProblem(spec.buckets, histogram);
  if (problem !== undefined) return fail(`histogram field "${spec.key}": ${problem}`);
  if (value.length === classicEnd) return histogram;
  const native = {
    zeroCount: value[classicEnd] as number,
    offset: value[classicEnd + 1] as number,
    counts: value.slice(classicEnd + 2) as number[],
  };
  const total = counts.reduce((sum, count) => sum + count, 0);
  const wrong = nativeProblem(spec.native, native, total);
  return wrong === undefined ? { ...histogram, native } : fail(`histogram field "${spec.key}": ${wrong}`);
}

function valueOf(spec: FieldSpec, value: unknown): FieldValue {
  switch (spec.type) {
    case 'float':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (value === '-0') return -0;
      break;
    case 'integer': {
      if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 63) return value;
      const integer = typeof value === 'string' ? integerOf(value) : undefined;
      if (integer !== undefined) return integer;
      break;
    }
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
  }
  return fail(`field "${spec.key}" has a value its type (${spec.type}) does not allow`);
}

/** The reporter's tags, checked as a meter checks its own, normalised, and sorted as core sorts them. */
function tagsOf(flatTags: readonly unknown[], size: Size): Tag[] {
  const tags: Tag[] = [];
  let ordered = true;
  for (let i = 0; i < flatTags.length; i += 2) {
    const key = flatTags[i];
    const value = flatTags[i + 1];
    if (typeof key !== 'string' || typeof value !== 'string') fail('a tag that is not two strings');
    size.count(key);
    size.count(value);
    checkedKey('tag', key);
    if (ordered && tags.length > 0 && compareByBytes(tags[tags.length - 1]!.key, key) >= 0) ordered = false;
    tags.push({ key, value });
  }
  // A meter's tags come sorted, each key once; another process's may not, and an unsorted key would slip past the merge of the extra tags.
  if (!ordered) {
    tags.sort((a, b) => compareByBytes(a.key, b.key));
    for (let i = 1; i < tags.length; i++)
      if (tags[i]!.key === tags[i - 1]!.key) fail(`tag key ${JSON.stringify(tags[i]!.key)} twice on one line`);
  }
  let kept = 0;
  for (let i = 0; i < tags.length; i++) {
    const tag = tags[i]!;
    const text = normalizeTagValue(tag.value);
    if (text !== '') tags[kept++] = text === tag.value ? tag : { key: tag.key, value: text };
  }
  tags.length = kept;
  return tags;
}

/** Reads the points of one answer. */
class PointReader {
  private line = 0;
  /** The last line each key (its first spec) was on, to tell a key twice on one line. */
  private readonly lineOfKey: Uint32Array;

  constructor(
    private readonly specs: readonly FieldSpec[],
    private readonly firstOfKey: readonly number[],
    private readonly extra: readonly Tag[],
    private readonly size: Size,
  ) {
    this.lineOfKey = new Uint32Array(specs.length);
  }

  read(wire: unknown, measurement: string): Point | undefined {
    if (!Array.isArray(wire) || wire.length !== 3) fail('a point that is not [series, tags, fields]');
    const series: unknown = wire[0];
    const flatTags: unknown = wire[1];
    const flatFields: unknown = wire[2];
    if ((series !== null && typeof series !== 'string') || !Array.isArray(flatTags) || !Array.isArray(flatFields))
      fail('a point that is not [series, tags, fields]');
    this.size.count(series);
    const line = ++this.line;
    const fields: FieldSample[] = [];
    let leBytes = 0;
    for (let i = 0; i < flatFields.length; i += 2) {
      const index: unknown = flatFields[i];
      const spec = Number.isInteger(index) ? this.specs[index as number] : undefined;
      if (spec === undefined) fail(`a field of unknown spec ${JSON.stringify(index)}`);
      const key = this.firstOfKey[index as number]!;
      if (this.lineOfKey[key] === line) fail(`field key ${JSON.stringify(spec.key)} twice on one line`);
      this.lineOfKey[key] = line;
      const value = flatFields[i + 1];
      this.size.count(index);
      if (spec.buckets !== undefined) {
        leBytes = Math.max(leBytes, leTagBytes(spec.buckets));
        fields.push({ spec, value: histogramOf(spec as FieldSpec & { buckets: readonly number[] }, value, this.size) });
        continue;
      }
      this.size.count(value);
      fields.push({ spec, value: valueOf(spec, value) });
    }
    if (fields.length === 0) return undefined;
    const tags = withTags(tagsOf(flatTags, this.size), this.extra);
    if (leBytes > 0 && tags.some((tag) => tag.key === 'le')) fail('a line with a histogram and a tag "le", which its buckets take');
    const keyBytes = seriesKeyOverflow(measurement, tags, leBytes);
    if (keyBytes !== undefined) {
      const where = leBytes === 0 ? '' : ` on its histogram's bucket lines (with their ",le=")`;
      fail(`a line whose series key is ${keyBytes} bytes${where}, over InfluxDB's limit of ${MAX_SERIES_KEY_BYTES}`);
    }
    return series === null ? { tags, fields } : { series, tags, fields };
  }
}

function timestampOf(timestamp: string): bigint {
  const integer = integerOf(timestamp);
  if (integer === undefined || integer < 0n) fail('a timestamp that is not an integer from 0 to 2^63-1');
  return integer;
}

/**
 * The snapshots of an answer, each line with `extra` tags (which replace the reporter's of the same
 * key), after taking in the answer's new specs. Everything is checked as a meter checks its own
 * (another process sent it), within MAX_ANSWER_CHARACTERS and MAX_SPECS_PER_REPORTER. Throws,
 * naming what it refused, on anything else; `known` is then left as it was.
 */
export function decodeAnswer(answer: WireAnswer, known: KnownSpecs, extra: readonly Tag[]): Snapshot[] {
  const { reporter, firstSpec, specs, snapshots } = answer;
  if (typeof reporter !== 'string' || !Array.isArray(specs) || !Array.isArray(snapshots)) fail('not an answer');
  const same = reporter === known.reporter;
  const held = same ? known.specs : [];
  if (firstSpec !== held.length) fail(`specs from ${JSON.stringify(firstSpec)}, where ${held.length} are held`);
  if (held.length + specs.length > MAX_SPECS_PER_REPORTER)
    fail(`${held.length + specs.length} field specs, over the ${MAX_SPECS_PER_REPORTER} a reporter may grow to`);
  const size = new Size();
  const all = specs.length === 0 ? held : [...held, ...specs.map((spec) => specOf(spec, size))];
  const firstOfKey = firstOfKeys(all, same ? known.firstOfKey : []);
  const points = new PointReader(all, firstOfKey, extra, size);
  const decoded = snapshots.map((wire): Snapshot => {
    if (!Array.isArray(wire) || wire.length !== 3) fail('a snapshot that is not [measurement, timestamp, points]');
    const [measurement, timestamp, wirePoints] = wire as unknown[];
    if (typeof measurement !== 'string' || (timestamp !== null && typeof timestamp !== 'string') || !Array.isArray(wirePoints)) {
      fail('a snapshot that is not [measurement, timestamp, points]');
    }
    size.count(measurement);
    size.count(timestamp);
    try {
      checkMeasurement(measurement);
    } catch (error) {
      fail((error as Error).message);
    }
    const decodedPoints: Point[] = [];
    for (const point of wirePoints) {
      const decodedPoint = points.read(point, measurement);
      if (decodedPoint !== undefined) decodedPoints.push(decodedPoint);
    }
    if (timestamp === null) return { measurement, points: decodedPoints };
    return { measurement, timestamp: timestampOf(timestamp as string), points: decodedPoints };
  });
  known.reporter = reporter;
  known.specs = all;
  known.firstOfKey = firstOfKey;
  return decoded;
}
