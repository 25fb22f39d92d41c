import type { FieldSpec } from './snapshot.js';

/** What one render offers every function it calls, besides the context. */
export interface RenderScope {
  /**
   * `read()`'s result, computed once per render and shared by every caller in it, across
   * presets: two presets that read the same source see the same moment. `read` is the key, so
   * pass one function (a module-level one, or a method bound once), not a new closure per call.
   * A throw is kept too, and thrown to every caller.
   */
  once<T>(read: () => T): T;
}

export type Compute = (ctx: any, render: RenderScope) => unknown;

/**
 * Which render context a function sees: 0 is the meter's own (what the user adds), and each
 * preset used gets one of its own, so that two presets' builders never overwrite each other's
 * keys and a failed builder only skips the fields of its own preset.
 */
export interface Scoped {
  readonly scope: number;
}

export interface BuilderDefinition extends Scoped {
  readonly label: string;
  readonly build: Compute;
}

/** A static tag's `compute` returns its value. */
export interface TagDefinition extends Scoped {
  readonly key: string;
  readonly compute: Compute;
}

export interface FieldDefinition extends Scoped {
  /** What every sample of the field carries into a snapshot. */
  readonly spec: FieldSpec;
  readonly compute: Compute;
}

export interface SeriesDefinition extends Scoped {
  readonly name: string;
  /** Sorted by key. */
  readonly tagKeys: readonly string[];
  readonly fields: ReadonlyMap<string, FieldSpec>;
  readonly rows: Compute;
}

/**
 * Everything a render needs, frozen at the start of the render: registering a field
 * replaces the meter's plan and never changes one that a render in flight is using.
 */
export interface Plan {
  readonly measurement: string;
  readonly builders: readonly BuilderDefinition[];
  /** Sorted by key. */
  readonly tags: readonly TagDefinition[];
  readonly fields: readonly FieldDefinition[];
  readonly series: readonly SeriesDefinition[];
  /** How many contexts a render builds: the meter's, and one per preset. */
  readonly scopes: number;
  /**
   * What the bucket lines of the meter's histograms add to a series key (`,le=` and the longest
   * bound), kept free in every key so that a bucket line fits where its point's line does; 0 without one.
   */
  readonly leTagBytes: number;
  readonly timeoutMs: number;
  readonly timestamps: boolean;
}
