import type { FieldValue } from './field-types.js';
import type { Snapshot } from './snapshot.js';

/** Integers beyond 2^53 would lose digits as JSON numbers: they are written as strings. */
function jsonValue(value: FieldValue): string | number | boolean {
  if (typeof value !== 'bigint') return value;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : String(value);
}

function jsonOf(snapshot: Snapshot) {
  return {
    measurement: snapshot.measurement,
    ...(snapshot.timestamp === undefined ? {} : { timestamp: String(snapshot.timestamp) }),
    points: snapshot.points.map((point) => ({
      ...(point.series === undefined ? {} : { series: point.series }),
      tags: Object.fromEntries(point.tags.map(({ key, value }) => [key, value])),
      fields: Object.fromEntries(point.fields.map(({ spec, value }) => [spec.key, jsonValue(value)])),
    })),
  };
}

/**
 * The snapshot for people and programs: one object per line, tags and fields as objects.
 * Several snapshots give an array of those objects, in order.
 */
export function toJson(snapshots: Snapshot | readonly Snapshot[]): string {
  return JSON.stringify(Array.isArray(snapshots) ? snapshots.map(jsonOf) : jsonOf(snapshots as Snapshot));
}
