import type { FieldKind, FieldType, FieldUnit } from '@runometer/core';
import { SEMANTIC_NAMES, type OtelInstrument } from './semantic-names.js';

/** Core's units in UCUM, as OpenTelemetry writes units; `none` (an identifier, a flag) has none. */
export const UCUM: Readonly<Record<FieldUnit, string>> = {
  bytes: 'By',
  seconds: 's',
  epoch_seconds: 's',
  percent: '%',
  ratio: '1',
  count: '{count}',
  none: '',
};

/** Whether a field of `kind` can be measured by `instrument`: a gauge is a gauge or an up-down counter. */
export function fits(kind: FieldKind, instrument: OtelInstrument): boolean {
  return kind === 'gauge' ? instrument === 'gauge' || instrument === 'updowncounter' : kind === instrument;
}

/** Whether a semantic-conventions unit says what `unit` says: the same UCUM, or an annotation (`{request}`) for a count. */
export function unitFits(unit: FieldUnit | undefined, ucum: string): boolean {
  if (unit === 'count') return /^\{[a-z_]+\}$/.test(ucum);
  return unit !== undefined && UCUM[unit] === ucum;
}

/** A field as OpenTelemetry gets it. */
export interface OtelField {
  readonly name: string;
  readonly instrument: OtelInstrument;
  readonly unit: string;
  readonly description: string;
  /** An integer field's points are integers (OpenTelemetry's `ValueType.INT`), any other's doubles. */
  readonly integer: boolean;
  /** Attributes every point of the field carries, before its tags. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The attribute a tag becomes, where it is not the tag's own key. */
  readonly tags: Readonly<Record<string, string>>;
  /** True where the name is the semantic conventions'. */
  readonly semantic: boolean;
  /** A histogram's upper bounds (`+Inf` implied). */
  readonly buckets?: readonly number[];
}

/** What is known of a field: a snapshot's `FieldSpec` or a preset's catalog entry has all of it. */
export interface FieldDescription {
  readonly key: string;
  readonly type: FieldType;
  readonly kind: FieldKind;
  readonly help?: string;
  readonly unit?: FieldUnit;
  readonly buckets?: readonly number[];
}

const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({});

/**
 * A name OpenTelemetry takes (`[A-Za-z][A-Za-z0-9_./-]*`): every other character becomes `_`, as
 * core's Prometheus names do. A name that starts with no letter stays so, and the SDK warns of it.
 */
function otelName(name: string): string {
  return name.replace(/[^A-Za-z0-9_./-]/g, '_');
}

/**
 * The metric a field of meter `measurement` becomes: the semantic conventions' name, unit and
 * attributes where `SEMANTIC_NAMES` has its key and its kind fits the instrument there, else the
 * meter's own name `<measurement>.<key>`, with its unit in UCUM (none when it declares none),
 * an instrument of its kind (a boolean is a gauge of 1 and 0). A string field has no place in a
 * metric: undefined.
 */
export function otelField(measurement: string, field: FieldDescription): OtelField | undefined {
  if (field.type === 'string') return undefined;
  const description = field.help ?? `${field.key} of ${measurement}`;
  const integer = field.type === 'integer';
  const buckets = field.buckets === undefined ? {} : { buckets: field.buckets };
  const semantic = Object.hasOwn(SEMANTIC_NAMES, field.key) ? SEMANTIC_NAMES[field.key] : undefined;
  if (semantic !== undefined && fits(field.kind, semantic.instrument)) {
    const { name, instrument, unit, attributes = NO_ATTRIBUTES, tags = NO_ATTRIBUTES } = semantic;
    return { name, instrument, unit, description, integer, attributes, tags, semantic: true, ...buckets };
  }
  return {
    name: otelName(`${measurement}.${field.key}`),
    instrument: field.kind,
    unit: field.unit === undefined ? '' : UCUM[field.unit],
    description,
    integer,
    attributes: NO_ATTRIBUTES,
    tags: NO_ATTRIBUTES,
    semantic: false,
    ...buckets,
  };
}
