import type { FieldType, FieldValue } from '../model/field-types.js';
import { escapeKey, escapeMeasurement } from '../model/escaping.js';
import { leLabels, type HistogramValue } from '../model/histogram.js';
import { compareByBytes } from '../model/names.js';
import { RenderMemo } from '../model/render-memo.js';
import { isFixed, type FieldSpec, type Snapshot, type Tag } from '../model/snapshot.js';

const STRING_SPECIALS = /[\\"]/g;
const STRING_LINE_BREAKS = /\r\n|[\r\n\f]/g;
const NEEDS_STRING_WORK = /[\\"\r\n\f]/;

/** A quoted string field: backslash first, then quote; line breaks become spaces. */
export function formatString(value: string): string {
  if (!NEEDS_STRING_WORK.test(value)) return `"${value}"`;
  return `"${value.replace(STRING_SPECIALS, '\\$&').replace(STRING_LINE_BREAKS, ' ')}"`;
}

function formatFloat(value: number): string {
  // String(-0) is "0": keep the sign so the value parses back as written.
  return Object.is(value, -0) ? '-0' : String(value);
}

function formatInteger(value: number | bigint): string {
  // Above 2^53, String(number) rounds to the shortest float digits; BigInt prints the exact integer.
  return typeof value === 'number' && !Number.isSafeInteger(value) ? `${BigInt(value)}i` : `${value}i`;
}

/** The value as line protocol writes it; `value` has already passed `problemWith(type, value)`. */
export function formatValue(type: FieldType, value: FieldValue): string {
  switch (type) {
    case 'float':
      return formatFloat(value as number);
    case 'integer':
      return formatInteger(value as number | bigint);
    case 'string':
      return formatString(value as string);
    case 'boolean':
      return value ? 'true' : 'false';
  }
}

interface LineStart {
  readonly measurement: string;
  /** The measurement and the tags, escaped: `measurement,key=value,…` */
  readonly text: string;
}

/** How a histogram's bucket lines start: up to the value of the tag `le`, and from after it to the fields. */
interface BucketLineStart {
  readonly measurement: string;
  readonly beforeLe: string;
  readonly afterLe: string;
}

/** How lines start, by tag list: written once for each list that cannot change (see `isFixed`). */
interface LineStarts {
  readonly lines: WeakMap<readonly Tag[], LineStart>;
  readonly bucketLines: WeakMap<readonly Tag[], BucketLineStart>;
}

const lineStartsMemo = new RenderMemo<LineStarts>(() => ({ lines: new WeakMap(), bucketLines: new WeakMap() }));

function lineStart({ lines }: LineStarts, measurement: string, escapedMeasurement: string, tags: readonly Tag[]): string {
  const known = lines.get(tags);
  if (known !== undefined && known.measurement === measurement) return known.text;
  let text = escapedMeasurement;
  for (const tag of tags) text += `,${escapeKey(tag.key)}=${escapeKey(tag.value)}`;
  if (isFixed(tags)) lines.set(tags, { measurement, text });
  return text;
}

function bucketLineStart(
  { bucketLines }: LineStarts,
  measurement: string,
  escapedMeasurement: string,
  tags: readonly Tag[],
): BucketLineStart {
  const known = bucketLines.get(tags);
  if (known !== undefined && known.measurement === measurement) return known;
  let beforeLe = escapedMeasurement;
  let afterLe = '';
  // Registration keeps a tag named `le` away from a histogram: the bucket's goes in key order.
  for (const tag of tags) {
    const text = `,${escapeKey(tag.key)}=${escapeKey(tag.value)}`;
    if (compareByBytes(tag.key, 'le') < 0) beforeLe += text;
    else afterLe += text;
  }
  const start = { measurement, beforeLe: `${beforeLe},le=`, afterLe };
  if (isFixed(tags)) bucketLines.set(tags, start);
  return start;
}

/**
 * A histogram's bucket lines: one per bucket, `+Inf` last, each with the point's tags and the tag
 * `le`, and the field `<key>_bucket`, the count of observations up to `le` (cumulative).
 */
function bucketLines(start: BucketLineStart, spec: FieldSpec, { counts }: HistogramValue, end: string): string {
  const les = leLabels(spec.buckets!);
  const field = ` ${spec.escapedKey}_bucket=`;
  let text = '';
  let cumulative = 0;
  for (let i = 0; i < les.length; i++) {
    cumulative += counts[i]!;
    text += `${start.beforeLe}${les[i]}${start.afterLe}${field}${cumulative}i${end}`;
  }
  return text;
}

/** A histogram's fields on its point's line: `<key>_sum` (a float) and `<key>_count` (an integer). */
function sumAndCount(spec: FieldSpec, { counts, sum }: HistogramValue): string {
  let count = 0;
  for (let i = 0; i < counts.length; i++) count += counts[i]!;
  return `${spec.escapedKey}_sum=${formatFloat(sum)},${spec.escapedKey}_count=${count}i`;
}

function linesOf(lineStarts: LineStarts, snapshot: Snapshot): string {
  const { measurement } = snapshot;
  const escapedMeasurement = escapeMeasurement(measurement);
  const end = snapshot.timestamp === undefined ? '\n' : ` ${snapshot.timestamp}\n`;
  let text = '';
  for (const point of snapshot.points) {
    let rest = '';
    let buckets = '';
    for (const { spec, value } of point.fields) {
      if (spec.buckets === undefined) {
        rest += `${rest === '' ? ' ' : ','}${spec.escapedKey}=${formatValue(spec.type, value)}`;
        continue;
      }
      rest += `${rest === '' ? ' ' : ','}${sumAndCount(spec, value as HistogramValue)}`;
      buckets += bucketLines(bucketLineStart(lineStarts, measurement, escapedMeasurement, point.tags), spec, value as HistogramValue, end);
    }
    text += `${lineStart(lineStarts, measurement, escapedMeasurement, point.tags)}${rest}${end}${buckets}`;
  }
  return text;
}

/** The snapshot (or each snapshot, in order) as line protocol: one LF-terminated line per point, '' when there is none. */
export function toLineProtocol(snapshots: Snapshot | readonly Snapshot[]): string {
  return lineStartsMemo.use(linesOfAll, snapshots);
}

function linesOfAll(lineStarts: LineStarts, snapshots: Snapshot | readonly Snapshot[]): string {
  // One snapshot, the meter's own render(), takes no detour through a list.
  if (!Array.isArray(snapshots)) return linesOf(lineStarts, snapshots as Snapshot);
  let text = '';
  for (const snapshot of snapshots as readonly Snapshot[]) text += linesOf(lineStarts, snapshot);
  return text;
}
