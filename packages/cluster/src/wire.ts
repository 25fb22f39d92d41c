import { randomUUID } from 'node:crypto';
import { FIELD_KINDS, FIELD_TYPES, escapeKey, normalizeTagValue, type FieldSample, type FieldSpec, type FieldValue, type Point, type Snapshot, type Tag } from '@runometer/core';

/**
 * The wire format: snapshots as arrays of plain values, which both node:cluster's JSON channel and
 * a MessagePort's structured clone carry as they are. A field spec travels once per reporter: an
 * answer names the reporter and carries only the specs the aggregator does not hold yet, and each
 * field is `spec index, value`. Bigints (integers, timestamps) travel as decimal strings, and a
 * float -0 as `'-0'` (JSON writes it as 0).
 */
export interface WireSpec {
  readonly key: string;
  readonly type: FieldSpec['type'];
  readonly kind: FieldSpec['kind'];
  readonly help?: string;
  /** Carried when a spec has one (core's catalog metadata), so that it survives the trip. */
  readonly unit?: string;
}

/** What a spec says, and nothing else it may hold (a meter's specs are its field definitions). */
function wireSpecOf({ key, type, kind, help, unit }: FieldSpec & { unit?: string }): WireSpec {
  return { key, type, kind, ...(help === undefined ? {} : { help }), ...(unit === undefined ? {} : { unit }) };
}
export type WireValue = number | string | boolean;
/** `[series or null, [tag key, tag value, …], [spec index, value, …]]` */
export type WirePoint = [series: string | null, tags: string[], fields: WireValue[]];
export type WireSnapshot = [measurement: string, timestamp: string | null, points: WirePoint[]];

export interface WireAnswer {
  /** Which reporter answered: its specs are numbered from its start. */
  readonly reporter: string;
  /** The index of `specs[0]` among the reporter's specs. */
  readonly firstSpec: number;
  readonly specs: readonly WireSpec[];
  readonly snapshots: readonly WireSnapshot[];
}

function wireValue(spec: FieldSpec, value: FieldValue): WireValue {
  if (typeof value === 'bigint') return String(value);
  if (spec.type === 'float' && Object.is(value, -0)) return '-0';
  return value;
}

/**
 * A reporter's side: numbers each distinct field spec once, for as long as the reporter lives.
 * A meter's specs are the same objects at every render; a source that makes new ones each time
 * is numbered by content, so the table grows only with distinct specs.
 */
export class SpecTable {
  readonly reporter = randomUUID();
  private readonly specs: WireSpec[] = [];
  private readonly byObject = new WeakMap<FieldSpec, number>();
  private readonly byContent = new Map<string, number>();

  private indexOf(spec: FieldSpec): number {
    let index = this.byObject.get(spec);
    if (index !== undefined) return index;
    const wire = wireSpecOf(spec);
    const content = JSON.stringify(wire);
    index = this.byContent.get(content);
    if (index === undefined) {
      index = this.specs.push(wire) - 1;
      this.byContent.set(content, index);
    }
    this.byObject.set(spec, index);
    return index;
  }

  /** The answer to an aggregator that holds `knownSpecs` of this reporter's specs (none of another reporter's). */
  answer(snapshots: readonly Snapshot[], reporter: string | null, knownSpecs: number): WireAnswer {
    const wireSnapshots: WireSnapshot[] = snapshots.map((snapshot) => [
      snapshot.measurement,
      snapshot.timestamp === undefined ? null : String(snapshot.timestamp),
      snapshot.points.map((point): WirePoint => {
        const tags: string[] = [];
        for (const tag of point.tags) tags.push(tag.key, tag.value);
        const fields: WireValue[] = [];
        for (const { spec, value } of point.fields) fields.push(this.indexOf(spec), wireValue(spec, value));
        return [point.series ?? null, tags, fields];
      }),
    ]);
    const firstSpec = reporter === this.reporter && knownSpecs <= this.specs.length ? knownSpecs : 0;
    return { reporter: this.reporter, firstSpec, specs: this.specs.slice(firstSpec), snapshots: wireSnapshots };
  }
}

/** The specs an aggregator holds of one reporter, by their index. */
export interface KnownSpecs {
  reporter: string | null;
  specs: FieldSpec[];
}

export function knownSpecs(): KnownSpecs {
  return { reporter: null, specs: [] };
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class WireError extends Error {}

function fail(what: string): never {
  throw new WireError(`malformed answer: ${what}`);
}

function specOf(wire: unknown): FieldSpec {
  const { key, type, kind, help, unit } = (wire ?? {}) as Record<string, unknown>;
  if (typeof key !== 'string' || key === '') fail('a spec without a key');
  if (!FIELD_TYPES.includes(type as never) || !FIELD_KINDS.includes(kind as never)) fail(`spec "${key}" has no known type or kind`);
  if (help !== undefined && typeof help !== 'string') fail(`spec "${key}" has a help that is not a string`);
  if (unit !== undefined && typeof unit !== 'string') fail(`spec "${key}" has a unit that is not a string`);
  return { ...wireSpecOf(wire as FieldSpec), escapedKey: escapeKey(key) };
}

function valueOf(spec: FieldSpec, value: unknown): FieldValue {
  switch (spec.type) {
    case 'float':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (value === '-0') return -0;
      break;
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 2 ** 63) return value;
      if (typeof value === 'string' && /^-?\d+$/.test(value)) {
        const integer = BigInt(value);
        if (integer >= INT64_MIN && integer <= INT64_MAX) return integer;
      }
      break;
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      break;
  }
  return fail(`field "${spec.key}" has a value its type (${spec.type}) does not allow`);
}

function pointOf(wire: unknown, specs: readonly FieldSpec[], extra: readonly Tag[]): Point | undefined {
  if (!Array.isArray(wire) || wire.length !== 3) fail('a point that is not [series, tags, fields]');
  const series: unknown = wire[0];
  const flatTags: unknown = wire[1];
  const flatFields: unknown = wire[2];
  if ((series !== null && typeof series !== 'string') || !Array.isArray(flatTags) || !Array.isArray(flatFields)) fail('a point that is not [series, tags, fields]');
  const fields: FieldSample[] = [];
  for (let i = 0; i < flatFields.length; i += 2) {
    const spec = specs[flatFields[i] as number];
    if (spec === undefined) fail(`a field of unknown spec ${String(flatFields[i])}`);
    fields.push({ spec, value: valueOf(spec, flatFields[i + 1]) });
  }
  if (fields.length === 0) return undefined;
  // The reporter's tags are sorted (core sorts them); the extra ones are merged in as they come.
  const tags: Tag[] = [];
  let next = 0;
  for (let i = 0; i < flatTags.length; i += 2) {
    const key: unknown = flatTags[i];
    const value: unknown = flatTags[i + 1];
    if (typeof key !== 'string' || typeof value !== 'string') fail('a tag that is not two strings');
    while (next < extra.length && extra[next]!.key < key) tags.push(extra[next++]!);
    if (next < extra.length && extra[next]!.key === key) continue;
    const normalized = normalizeTagValue(value);
    if (normalized !== '') tags.push({ key, value: normalized });
  }
  while (next < extra.length) tags.push(extra[next++]!);
  return series === null ? { tags, fields } : { series, tags, fields };
}

/**
 * The snapshots of an answer, each line with `extra` tags, after taking in the answer's new specs.
 * Throws on anything that is not what a reporter sends; `known` is then left as it was.
 */
export function decodeAnswer(answer: WireAnswer, known: KnownSpecs, extra: readonly Tag[]): Snapshot[] {
  const { reporter, firstSpec, specs, snapshots } = answer;
  if (typeof reporter !== 'string' || !Array.isArray(specs) || !Array.isArray(snapshots)) fail('not an answer');
  const held = reporter === known.reporter ? known.specs : [];
  if (firstSpec !== held.length) fail(`specs from ${String(firstSpec)}, where ${held.length} are held`);
  const all = specs.length === 0 ? held : [...held, ...specs.map(specOf)];
  const decoded = snapshots.map((wire): Snapshot => {
    if (!Array.isArray(wire) || wire.length !== 3) fail('a snapshot that is not [measurement, timestamp, points]');
    const [measurement, timestamp, points] = wire as unknown[];
    if (typeof measurement !== 'string' || measurement === '' || (timestamp !== null && typeof timestamp !== 'string') || !Array.isArray(points)) {
      fail('a snapshot that is not [measurement, timestamp, points]');
    }
    const decodedPoints: Point[] = [];
    for (const point of points) {
      const decodedPoint = pointOf(point, all, extra);
      if (decodedPoint !== undefined) decodedPoints.push(decodedPoint);
    }
    if (timestamp === null) return { measurement, points: decodedPoints };
    if (!/^\d+$/.test(timestamp as string)) fail('a timestamp that is not an integer');
    return { measurement, timestamp: BigInt(timestamp as string), points: decodedPoints };
  });
  known.reporter = reporter;
  known.specs = all;
  return decoded;
}
