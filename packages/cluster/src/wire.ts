import { randomUUID } from 'node:crypto';
import type { FieldSpec, FieldUnit, FieldValue, NativeLayout, Snapshot } from '@runometer/core';
import { countedSpan } from '@runometer/core/format';

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
  /** Carried when a spec has one, so that OpenTelemetry gets it from the primary as from the worker. */
  readonly unit?: FieldUnit;
  /** A histogram's bucket bounds. */
  readonly buckets?: readonly number[];
  /** A histogram's native layout, when it counts native buckets too. */
  readonly native?: NativeLayout;
}

/** What a spec says, and nothing else it may hold (a meter's specs are its field definitions). */
export function wireSpecOf({ key, type, kind, help, unit, buckets, native }: FieldSpec): WireSpec {
  return {
    key,
    type,
    kind,
    ...(help === undefined ? {} : { help }),
    ...(unit === undefined ? {} : { unit }),
    ...(buckets === undefined ? {} : { buckets: [...buckets] }),
    ...(native === undefined ? {} : { native: { schema: native.schema, zeroThreshold: native.zeroThreshold } }),
  };
}
/**
 * A histogram travels as `[sum, count of each bucket…]`, per bucket as its recorder counts them;
 * one with native buckets as `[sum, counts…, zero count, offset, native counts…]`, its native
 * counts from the first that is not 0 to the last (the spec's buckets tell where the classic end).
 */
export type WireValue = number | string | boolean | number[];
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
  if (typeof value === 'object') {
    const classic = [value.sum, ...Array.from(value.counts)];
    const { native } = value;
    if (native === undefined) return classic;
    const { counts } = native;
    const { first, end } = countedSpan(counts);
    return [...classic, native.zeroCount, native.offset + first, ...Array.prototype.slice.call(counts, first, end)];
  }
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
