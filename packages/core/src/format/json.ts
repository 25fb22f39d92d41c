import type { FieldValue } from '../model/field-types.js';
import type { HistogramValue } from '../model/histogram.js';
import { RenderMemo } from '../model/render-memo.js';
import { isFixed, type FieldSpec, type Point, type Snapshot, type Tag } from '../model/snapshot.js';

// The body is written as text, key by key, in exactly the bytes JSON.stringify gives the object
// `{ measurement, timestamp?, points: [{ series?, tags: {…}, fields: {…} }] }`: building that
// object first costs an array per field and, past a hundred or so fields, an object in
// dictionary mode. Each key's quoted form is worked out once, and found again by the key.

/** A histogram as data: its bounds as `le`, and `buckets`, cumulative as in the other formats, one more than `le` (the last is `+Inf`, all of them). */
interface JsonHistogram {
  readonly le: readonly number[];
  readonly buckets: number[];
  readonly sum: number;
  readonly count: number;
}

function jsonHistogram(bounds: readonly number[], { counts, sum }: HistogramValue): JsonHistogram {
  const buckets: number[] = [];
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) buckets.push((cumulative += counts[i]!));
  return { le: bounds, buckets, sum, count: cumulative };
}

/** Integers beyond 2^53 would lose digits as JSON numbers: they are written as strings. */
function jsonValue(spec: FieldSpec, value: FieldValue): string | number | boolean | JsonHistogram {
  if (spec.buckets !== undefined) return jsonHistogram(spec.buckets, value as HistogramValue);
  if (typeof value !== 'bigint') return value as string | number | boolean;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : String(value);
}

/** What JSON escapes in a string: quote, backslash, control characters, and surrogates (when lone). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function valueText(spec: FieldSpec, value: FieldValue): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return quote(value);
  return JSON.stringify(jsonValue(spec, value));
}

interface JsonKey {
  readonly key: string;
  readonly quoted: string;
  /** An object puts array-index keys first, in numeric order, whatever order they were added in. */
  readonly isIndex: boolean;
  /** The last object it was written into, to tell a repeated key (the object keeps one, the last). */
  writtenIn: number;
}

const MAX_CACHED_KEYS = 100_000;
const MAX_ARRAY_INDEX = 2 ** 32 - 2;
const CANONICAL_INTEGER = /^(?:0|[1-9][0-9]*)$/;

/** A point whose keys an object would reorder or merge, as that object gives it. */
function pointThroughObject(point: Point): string {
  return JSON.stringify({
    ...(point.series === undefined ? {} : { series: point.series }),
    tags: Object.fromEntries(point.tags.map(({ key, value }) => [key, value])),
    fields: Object.fromEntries(point.fields.map(({ spec, value }) => [spec.key, jsonValue(spec, value)])),
  });
}

interface PointStart {
  readonly series: string | undefined;
  /** `{"series":…,"tags":{…},"fields":` */
  readonly text: string;
  /** The same after a comma, for every point but a body's first. */
  readonly afterComma: string;
}

/** Writes JSON bodies, keeping from one to the next what makes the next one cheaper (see `RenderMemo`). */
class JsonWriter {
  private jsonKeys = new Map<string, JsonKey>();
  /**
   * The keys of the last body, in the order it wrote them: a body writes its keys in the order the
   * one before did, and reading them in that order touches memory in sequence, where a table of
   * thousands of keys costs a cache miss or three each.
   */
  private readonly keysInOrder: JsonKey[] = [];
  /** Where the body being written is in `keysInOrder`. */
  private keysWritten = 0;
  /** Numbers each object written, for `JsonKey.writtenIn`. */
  private objectsWritten = 0;
  /** How points of tag lists that cannot change (see `isFixed`) start, written once. */
  private readonly pointStarts = new WeakMap<readonly Tag[], PointStart>();

  /** One body: see `toJson`. */
  write(snapshots: Snapshot | readonly Snapshot[]): string {
    if (this.jsonKeys.size > MAX_CACHED_KEYS) {
      this.jsonKeys = new Map();
      this.keysInOrder.length = 0;
    }
    this.keysWritten = 0;
    if (!Array.isArray(snapshots)) return this.snapshotText(snapshots as Snapshot);
    let text = '';
    for (const snapshot of snapshots as readonly Snapshot[])
      text += text === '' ? this.snapshotText(snapshot) : `,${this.snapshotText(snapshot)}`;
    return `[${text}]`;
  }

  private jsonKey(key: string): JsonKey {
    let known = this.jsonKeys.get(key);
    if (known === undefined) {
      known = { key, quoted: quote(key), isIndex: CANONICAL_INTEGER.test(key) && Number(key) <= MAX_ARRAY_INDEX, writtenIn: 0 };
      this.jsonKeys.set(key, known);
    }
    return known;
  }

  private nextKey(key: string): JsonKey {
    const ordinal = this.keysWritten++;
    const last = this.keysInOrder[ordinal];
    if (last !== undefined && last.key === key) return last;
    const known = this.jsonKey(key);
    this.keysInOrder[ordinal] = known;
    return known;
  }

  /** `key: value` text for the object being written, or undefined when the key repeats in it or is an array index. */
  private member(key: string, object: number, value: string): string | undefined {
    const known = this.nextKey(key);
    if (known.isIndex || known.writtenIn === object) return undefined;
    known.writtenIn = object;
    return `${known.quoted}:${value}`;
  }

  private tagsText({ tags }: Point): string | undefined {
    const object = ++this.objectsWritten;
    let text = '{';
    for (const { key, value } of tags) {
      const written = this.member(key, object, quote(value));
      if (written === undefined) return undefined;
      text += text.length === 1 ? written : `,${written}`;
    }
    return `${text}}`;
  }

  /** The fields object, without its closing brace. */
  private fieldsText(point: Point): string | undefined {
    const object = ++this.objectsWritten;
    let text = '{';
    for (const { spec, value } of point.fields) {
      const written = this.member(spec.key, object, valueText(spec, value));
      if (written === undefined) return undefined;
      text += text.length === 1 ? written : `,${written}`;
    }
    return text;
  }

  /** How the point's text starts, after a comma unless it is the body's first, up to its fields; undefined when its tags go through an object. */
  private pointStart(point: Point, first: boolean): string | undefined {
    const known = this.pointStarts.get(point.tags);
    if (known !== undefined && known.series === point.series) return first ? known.text : known.afterComma;
    const tags = this.tagsText(point);
    if (tags === undefined) return undefined;
    const series = point.series === undefined ? '' : `"series":${this.jsonKey(point.series).quoted},`;
    const text = `{${series}"tags":${tags},"fields":`;
    if (isFixed(point.tags)) this.pointStarts.set(point.tags, { series: point.series, text, afterComma: `,${text}` });
    return first ? text : `,${text}`;
  }

  /** The point's text, after a comma unless it is the body's first. */
  private pointText(point: Point, first: boolean): string {
    const start = this.pointStart(point, first);
    const fields = start === undefined ? undefined : this.fieldsText(point);
    if (start === undefined || fields === undefined) return first ? pointThroughObject(point) : `,${pointThroughObject(point)}`;
    return `${start}${fields}}}`;
  }

  private snapshotText(snapshot: Snapshot): string {
    const timestamp = snapshot.timestamp === undefined ? '' : `,"timestamp":"${snapshot.timestamp}"`;
    let points = '';
    for (const point of snapshot.points) points += this.pointText(point, points === '');
    return `{"measurement":${quote(snapshot.measurement)}${timestamp},"points":[${points}]}`;
  }
}

const writerMemo = new RenderMemo(() => new JsonWriter());
const write = (writer: JsonWriter, snapshots: Snapshot | readonly Snapshot[]) => writer.write(snapshots);

/**
 * The snapshot for people and programs: one object per line, tags and fields as objects.
 * Several snapshots give an array of those objects, in order.
 */
export function toJson(snapshots: Snapshot | readonly Snapshot[]): string {
  return writerMemo.use(write, snapshots);
}
