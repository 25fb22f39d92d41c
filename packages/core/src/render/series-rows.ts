import { RenderError } from '../model/errors.js';
import type { SeriesDefinition } from '../model/plan.js';
import { tagBytesBound } from '../model/series-key.js';
import type { FieldSpec, Tag } from '../model/snapshot.js';
import { tagProblem, tagText } from './tag-text.js';

/** A row's tags as read from its values, and the point tags they last gave. */
export interface TagSet {
  /** The values it was read from, one per tag key; undefined for a set that is not kept. */
  readonly values: readonly unknown[] | undefined;
  readonly tags: readonly Tag[];
  /** `tagBytesBound(tags)`. */
  readonly bound: number;
  meterTags: readonly Tag[] | undefined;
  pointTags: readonly Tag[] | undefined;
}

/** Tag sets by the value of each tag key in turn: a level per key, the last one's entries tag sets. */
type TagTrie = Map<unknown, TagTrie | TagSet>;

/**
 * What one series' rows keep from one render to the next: each tag set, read once and found again
 * by its values, so that a value is normalised once, not at every render. Used by one render at a
 * time, through a `RenderMemo`: a pass over the rows is `start()`, `tagSetOf` for each row, `end`.
 */
export class SeriesRows {
  readonly specs: readonly FieldSpec[];
  readonly fieldKeys: readonly string[];
  private root: TagTrie = new Map();
  private tagSets = 0;
  /** The tag set of each row of the last render, by the row's place. */
  private inOrder: TagSet[] = [];
  /** The place of the row being read. */
  private ordinal = 0;
  /** The values of a row's tags, in the order of the series' tag keys. */
  private readonly rowTagValues: unknown[] = [];

  constructor(readonly series: SeriesDefinition) {
    this.specs = [...series.fields.values()];
    this.fieldKeys = [...series.fields.keys()];
  }

  start(): void {
    this.ordinal = 0;
  }

  /** Tag sets of values no longer seen are forgotten when they outnumber the rows. */
  end(rowsRead: number): void {
    if (this.tagSets <= 2 * rowsRead + 1000) return;
    this.root = new Map();
    this.tagSets = 0;
    this.inOrder = [];
  }

  /**
   * The row's tag set: read once per row (each declared key, in order), and found again by its
   * values. A set with a value that cannot be a tag is reported and not kept.
   */
  tagSetOf(rowTags: Record<string, unknown>, report: (error: RenderError) => void): TagSet {
    const { tagKeys } = this.series;
    const values = this.rowTagValues;
    for (let i = 0; i < tagKeys.length; i++) values[i] = rowTags[tagKeys[i]!];
    // Rows mostly come in the order they came at the last render: the set there is tried first.
    const ordinal = this.ordinal++;
    const inOrder = this.inOrder[ordinal];
    if (inOrder !== undefined && sameValues(inOrder.values, values)) return inOrder;
    const found = this.findTagSet(values, report);
    if (found.values !== undefined) this.inOrder[ordinal] = found;
    return found;
  }

  private findTagSet(values: unknown[], report: (error: RenderError) => void): TagSet {
    const { tagKeys } = this.series;
    let node: TagTrie = this.root;
    const last = tagKeys.length - 1;
    for (let i = 0; i < last; i++) {
      const next = node.get(values[i]);
      if (next === undefined) return this.newTagSet(values, report);
      node = next as TagTrie;
    }
    const found = node.get(last < 0 ? undefined : values[last]) as TagSet | undefined;
    return found ?? this.newTagSet(values, report);
  }

  private newTagSet(values: unknown[], report: (error: RenderError) => void): TagSet {
    const { tagKeys, name } = this.series;
    const read: Tag[] = [];
    let valid = true;
    for (let i = 0; i < tagKeys.length; i++) {
      const key = tagKeys[i]!;
      const value = values[i];
      const text = tagText(value);
      if (text === undefined) {
        valid = false;
        report(new RenderError('tag', key, 'invalid', `gave an invalid value in series "${name}": ${tagProblem(value)}`));
      } else if (text !== '') read.push(Object.freeze({ key, value: text }));
    }
    const tags = Object.freeze(read);
    if (!valid) return { values: undefined, tags, bound: tagBytesBound(tags), meterTags: undefined, pointTags: undefined };
    const tagSet: TagSet = {
      values: values.slice(0, tagKeys.length),
      tags,
      bound: tagBytesBound(tags),
      meterTags: undefined,
      pointTags: undefined,
    };
    let node = this.root;
    const last = tagKeys.length - 1;
    for (let i = 0; i < last; i++) {
      let next = node.get(values[i]) as TagTrie | undefined;
      if (next === undefined) node.set(values[i], (next = new Map()));
      node = next;
    }
    node.set(last < 0 ? undefined : values[last], tagSet);
    this.tagSets++;
    return tagSet;
  }
}

function sameValues(known: readonly unknown[] | undefined, values: readonly unknown[]): boolean {
  if (known === undefined) return false;
  for (let i = 0; i < known.length; i++) if (known[i] !== values[i]) return false;
  return true;
}
