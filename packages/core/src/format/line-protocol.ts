import type { FieldType, FieldValue } from '../model/field-types.js';
import { escapeKey, escapeMeasurement } from '../model/escaping.js';
import { RenderMemo } from '../model/render-memo.js';
import { isFixed, type Snapshot, type Tag } from '../model/snapshot.js';

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

/** How lines start, by tag list: written once for each list that cannot change (see `isFixed`). */
type LineStarts = WeakMap<readonly Tag[], LineStart>;

const lineStartsMemo = new RenderMemo<LineStarts>(() => new WeakMap());

function lineStart(lineStarts: LineStarts, measurement: string, escapedMeasurement: string, tags: readonly Tag[]): string {
  const known = lineStarts.get(tags);
  if (known !== undefined && known.measurement === measurement) return known.text;
  let text = escapedMeasurement;
  for (const tag of tags) text += `,${escapeKey(tag.key)}=${escapeKey(tag.value)}`;
  if (isFixed(tags)) lineStarts.set(tags, { measurement, text });
  return text;
}

function linesOf(lineStarts: LineStarts, snapshot: Snapshot): string {
  const { measurement } = snapshot;
  const escapedMeasurement = escapeMeasurement(measurement);
  const end = snapshot.timestamp === undefined ? '\n' : ` ${snapshot.timestamp}\n`;
  let text = '';
  for (const point of snapshot.points) {
    let rest = '';
    for (const { spec, value } of point.fields) rest += `${rest === '' ? ' ' : ','}${spec.escapedKey}=${formatValue(spec.type, value)}`;
    text += `${lineStart(lineStarts, measurement, escapedMeasurement, point.tags)}${rest}${end}`;
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
