import type { FieldKind, FieldType, FieldValue } from './field-types.js';
import type { NativeLayout } from './native-histogram.js';

/** A field as declared: its key (and its escaped form, computed once), its type, fixed for ever, its kind and help. */
export interface FieldSpec {
  readonly key: string;
  readonly escapedKey: string;
  readonly type: FieldType;
  readonly kind: FieldKind;
  readonly help?: string;
  /** A histogram's upper bounds, strictly increasing, frozen (see `checkBuckets`); only a histogram has them. */
  readonly buckets?: readonly number[];
  /** A histogram's native (exponential) layout, when it declares one: its values may then give native buckets. */
  readonly native?: NativeLayout;
}

export interface Tag {
  readonly key: string;
  /** Normalised (see `normalizeTagValue`) and never empty. */
  readonly value: string;
}

export interface FieldSample {
  readonly spec: FieldSpec;
  readonly value: FieldValue;
}

/** One line: the meter's tags (plus a series' own), sorted by key, and at least one field. */
export interface Point {
  /** The series that produced this point; absent for the meter's own line. */
  readonly series?: string;
  readonly tags: readonly Tag[];
  readonly fields: readonly FieldSample[];
}

/** What one render measured, before any output format is applied. */
export interface Snapshot {
  readonly measurement: string;
  /** Nanoseconds since the epoch, when the meter stamps its renders. */
  readonly timestamp?: bigint;
  readonly points: readonly Point[];
}

/**
 * What yields snapshots, for a server, a push loop or a CLI: a `Runometer` is one. A source may
 * yield several snapshots at once (several meters behind one endpoint, a cluster's workers): every
 * format renders them as one body.
 */
export interface SnapshotSource {
  /** Measures once; rejects when the render fails. */
  collect(): Promise<Snapshot | readonly Snapshot[]>;
  /** How messages name it: a meter's measurement. */
  readonly name?: string;
  /** True once it yields no more: a server then answers 503 without asking it. */
  readonly closed?: boolean;
}

/**
 * True when the tag list can never change: frozen, and so is each tag. A render's are (shared by
 * its points, and by the next render's while their values stay), and a format writes each such
 * list's text once, not at every render.
 */
export function isFixed(tags: readonly Tag[]): boolean {
  return Object.isFrozen(tags) && tags.every((tag) => Object.isFrozen(tag));
}

/** The snapshots a source yielded, one or several, as a list. */
export function snapshotsOf(collected: Snapshot | readonly Snapshot[]): readonly Snapshot[] {
  return Array.isArray(collected) ? collected : [collected as Snapshot];
}
