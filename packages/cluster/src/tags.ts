import type { Point, Snapshot, Tag } from '@runometer/core';
import { compareByBytes } from '@runometer/core/format';

/**
 * The point's tags with `extra` merged in, sorted by key as a point's tags must be. An extra tag
 * replaces one of the same key: the aggregator knows which worker or thread answered, whatever
 * the reporter's meter says. Both are sorted as core sorts tags, by the keys' UTF-8 bytes.
 */
export function withTags(tags: readonly Tag[], extra: readonly Tag[]): Tag[] {
  const merged: Tag[] = [];
  let next = 0;
  for (const tag of tags) {
    while (next < extra.length && compareByBytes(extra[next]!.key, tag.key) < 0) merged.push(extra[next++]!);
    if (next < extra.length && extra[next]!.key === tag.key) continue;
    merged.push(tag);
  }
  while (next < extra.length) merged.push(extra[next++]!);
  return merged;
}

/** The snapshot with `extra` tags on every line. */
export function tagged(snapshot: Snapshot, extra: readonly Tag[]): Snapshot {
  const points: Point[] = snapshot.points.map((point) => ({ ...point, tags: withTags(point.tags, extra) }));
  return { ...snapshot, points };
}

/** Tags sorted by key as core sorts them, from `key, value` pairs. */
export function tagsOf(pairs: Readonly<Record<string, string>>): Tag[] {
  return Object.keys(pairs)
    .sort(compareByBytes)
    .map((key) => ({ key, value: pairs[key]! }));
}
