import { presetMembers, presetName } from './decorators.js';
import { RegistrationError, describe } from '../model/errors.js';
import { checkFieldKind, checkFieldType, type FieldKind, type FieldType, type FieldUnit } from '../model/field-types.js';
import type { FieldOptions } from '../model/definitions.js';
import { checkBuckets } from '../model/histogram.js';
import { checkNativeLayout, type NativeLayout } from '../model/native-histogram.js';

/** One field of a preset as it declares it: what dashboards, READMEs and runtime tests are generated from. */
export interface CatalogEntry {
  readonly preset: string;
  readonly key: string;
  /** The series whose lines carry the field; absent for a field of the meter's own line. */
  readonly series?: string;
  /** The series' own tag keys, which tell its lines apart. */
  readonly seriesTags?: readonly string[];
  readonly type: FieldType;
  readonly kind: FieldKind;
  /** A histogram's upper bounds (`+Inf` implied). */
  readonly buckets?: readonly number[];
  /** A histogram's native layout, when it counts native buckets too. */
  readonly native?: NativeLayout;
  readonly unit?: FieldUnit;
  readonly help?: string;
  /** Capability names the runtime must offer; empty when every runtime measures the field. */
  readonly requires: readonly string[];
  /** The condition of the machine under which alone the field is measured. */
  readonly when?: string;
}

function entry(preset: string, key: string, options: FieldOptions = {}, series?: { name: string; tags: readonly string[] }): CatalogEntry {
  const type = checkFieldType(key, options.type);
  const kind = checkFieldKind(key, type, options.kind);
  const { unit, help, when } = options;
  return {
    preset,
    key,
    ...(series === undefined ? {} : { series: series.name, seriesTags: [...series.tags] }),
    type,
    kind,
    ...(kind === 'histogram' ? { buckets: checkBuckets(`histogram field "${key}"`, options.buckets) } : {}),
    ...(options.native === undefined ? {} : { native: checkNativeLayout(`histogram field "${key}"`, options.native) }),
    ...(unit === undefined ? {} : { unit }),
    ...(help === undefined ? {} : { help }),
    requires: [...(options.requires ?? [])],
    ...(when === undefined ? {} : { when }),
  };
}

/**
 * The fields a preset declares, in the order it renders them: its own line's, then each series'.
 * Read from its decorators: nothing is constructed or measured.
 */
export function catalogOf(presetClass: Function): CatalogEntry[] {
  const preset = typeof presetClass === 'function' ? presetName(presetClass) : undefined;
  if (preset === undefined) {
    const what = typeof presetClass === 'function' ? `class ${presetClass.name}` : describe(presetClass);
    throw new RegistrationError(`${what} is not a preset: decorate it with @preset(name)`);
  }
  const members = presetMembers(presetClass);
  const fields: CatalogEntry[] = [];
  const series: CatalogEntry[] = [];
  for (const member of members) {
    if (member.kind === 'field') fields.push(entry(preset, member.key, member.options));
    if (member.kind === 'series') {
      const of = { name: member.name, tags: member.options.tags ?? [] };
      for (const [key, options] of Object.entries(member.options.fields)) series.push(entry(preset, key, options, of));
    }
  }
  return [...fields, ...series];
}
