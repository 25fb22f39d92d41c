import type { FieldSpec } from './snapshot.js';

export type Compute = (ctx: any) => unknown;

export interface BuilderDefinition {
  readonly label: string;
  readonly build: Compute;
}

/** A static tag's `compute` returns its value. */
export interface TagDefinition {
  readonly key: string;
  readonly compute: Compute;
}

export interface FieldDefinition extends FieldSpec {
  readonly compute: Compute;
}

export interface SeriesDefinition {
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
  readonly timeoutMs: number;
  readonly timestamps: boolean;
}
