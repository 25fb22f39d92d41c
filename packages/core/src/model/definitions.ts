import { RegistrationError, describe } from './errors.js';
import {
  checkFieldKind,
  checkFieldType,
  checkFieldUnit,
  type FieldKind,
  type FieldType,
  type FieldUnit,
  type ValueOfField,
} from './field-types.js';
import { checkBuckets, histogramFieldKeys, leTagBytes } from './histogram.js';
import { checkNativeLayout, type NativeLayout } from './native-histogram.js';
import { escapeKey, normalizeTagValue } from './escaping.js';
import { checkKey, compareByBytes } from './names.js';
import type { BuilderDefinition, Compute, FieldDefinition, SeriesDefinition, TagDefinition } from './plan.js';
import { labelName, prometheusNamesOf } from './prometheus-names.js';
import type { FieldSpec } from './snapshot.js';

/** A key as registered: who registered it (the scope), and, for a field, its kind. */
interface Registered {
  readonly key: string;
  readonly scope: number;
  readonly kind?: FieldKind;
}

export interface FieldOptions<T extends FieldType = FieldType, K extends FieldKind = FieldKind> {
  /** Fixed at registration: InfluxDB drops a point whose field changed type. Default `'float'`. */
  type?: T;
  /**
   * `'counter'` for a value that only grows (restarting from 0 with the process), `'gauge'`
   * (default) for one that goes up and down, `'histogram'` for observations counted in
   * `buckets` (a `HistogramValue`, which only grows too). Formats that know the difference use it:
   * Prometheus names counters `…_total` and computes rates from them.
   */
  kind?: K;
  /** A histogram's bucket layout: upper bounds in the field's unit, finite, 0 or more, strictly increasing; `+Inf` is implied. */
  buckets?: readonly number[];
  /**
   * A histogram's native layout as well, for Prometheus' native histograms: `schema` (-4 to 8;
   * each bucket 2^(2^-schema) times the last) and `zeroThreshold` (default 2^-128). Its values
   * may then give `native` buckets beside the classic ones (`HistogramRecorder` does, given it).
   */
  native?: { readonly schema: number; readonly zeroThreshold?: number };
  /** One line saying what the field measures, and in which unit. */
  help?: string;
  // Catalog metadata: checked at registration, read by `catalogOf`; no format writes it.
  /** What the figure counts in: one of `FIELD_UNITS`. */
  unit?: FieldUnit;
  /**
   * What the runtime must offer for the field to be measured: capability names, opaque to core
   * (the presets name those of `@runometer/runtime`). Where one is missing the field is left out.
   */
  requires?: readonly string[];
  /** A condition of the machine, not the runtime, under which alone the field is measured: `'a cgroup memory limit is set'`. */
  when?: string;
}

/** The declared type of a field's options: `'float'` when they name none. */
export type TypeOfOptions<O> = O extends { readonly type: infer T extends FieldType } ? T : 'float';
/** The declared kind of a field's options: `'gauge'` when they name none. */
export type KindOfOptions<O> = O extends { readonly kind: infer K extends FieldKind } ? K : 'gauge';

/** A value of a tag: written as text; `undefined`, `null` (or an empty string) leave the tag out. */
export type TagValue = string | number | bigint | boolean | undefined | null;
export type TagResult = TagValue | Promise<TagValue>;

export interface SeriesOptions<
  Fields extends Readonly<Record<string, FieldOptions>> = Readonly<Record<string, FieldOptions>>,
  TagKey extends string = string,
> {
  /** The keys of the tags that tell this series' rows apart, e.g. `['space']`. */
  tags?: readonly TagKey[];
  /** Every field a row may carry, with its type. */
  fields: Fields;
}

/** One line of a series: a value for each of its tags, and for any of its fields, of the field's type. */
export interface SeriesRow<Fields extends Readonly<Record<string, FieldOptions>>, TagKey extends string = string> {
  tags?: { readonly [K in TagKey]?: TagValue };
  fields: { readonly [K in keyof Fields]?: ValueOfField<TypeOfOptions<Fields[K]>, KindOfOptions<Fields[K]>> };
}

type SeriesRowsNow<Fields extends Readonly<Record<string, FieldOptions>>, TagKey extends string> =
  | Iterable<SeriesRow<Fields, TagKey>>
  | undefined
  | null;
/** What a series' function may return: its rows (or none this time), or a promise of them. */
export type SeriesResult<Fields extends Readonly<Record<string, FieldOptions>>, TagKey extends string = string> =
  | SeriesRowsNow<Fields, TagKey>
  | Promise<SeriesRowsNow<Fields, TagKey>>;

function checkFunction(what: string, fn: unknown): Compute {
  if (typeof fn !== 'function') throw new RegistrationError(`${what} must be a function, got ${describe(fn)}`);
  return fn as Compute;
}

function checkOptions(what: string, options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) {
    throw new RegistrationError(`${what} options must be an object, got ${describe(options)}`);
  }
  return options as Record<string, unknown>;
}

function fieldSpec(key: unknown, options: unknown): FieldSpec {
  const checked = checkKey('field', key);
  const { type, kind, help, unit, requires, when, buckets, native } = checkOptions(`field "${checked}"`, options);
  const fieldType = checkFieldType(checked, type);
  if (help !== undefined && typeof help !== 'string') {
    throw new RegistrationError(`field "${checked}" help must be a string, got ${describe(help)}`);
  }
  if (when !== undefined && (typeof when !== 'string' || when === '')) {
    throw new RegistrationError(`field "${checked}" when must be a non-empty string, got ${describe(when)}`);
  }
  checkFieldUnit(checked, unit);
  if (requires !== undefined && (!Array.isArray(requires) || !requires.every((name) => typeof name === 'string' && name !== ''))) {
    throw new RegistrationError(`field "${checked}" requires must be an array of capability names, got ${describe(requires)}`);
  }
  const escapedKey = escapeKey(checked);
  const fieldKind = checkFieldKind(checked, fieldType, kind);
  if (fieldKind === 'histogram') return histogramSpec(checked, escapedKey, help, buckets, native);
  if (buckets !== undefined)
    throw new RegistrationError(`field "${checked}" has buckets but is a ${fieldKind}: only a histogram (kind: 'histogram') takes buckets`);
  if (native !== undefined)
    throw new RegistrationError(
      `field "${checked}" has a native layout but is a ${fieldKind}: only a histogram (kind: 'histogram') takes one`,
    );
  // Object literals, never a spread: V8 gives each object a spread makes a map of its own once
  // its inline cache gives up (after ten or so), and the render then reads every spec megamorphically.
  return help === undefined
    ? { key: checked, escapedKey, type: fieldType, kind: fieldKind }
    : { key: checked, escapedKey, type: fieldType, kind: fieldKind, help };
}

function histogramSpec(key: string, escapedKey: string, help: string | undefined, buckets: unknown, native: unknown): FieldSpec {
  const what = `histogram field "${key}"`;
  const bounds = checkBuckets(what, buckets);
  const layout: NativeLayout | undefined = native === undefined ? undefined : checkNativeLayout(what, native);
  // Every histogram spec has the same properties, in the same order (see the note below).
  return { key, escapedKey, type: 'float', kind: 'histogram', help, buckets: bounds, native: layout };
}

/** The keys a field is written under in line protocol: a histogram's sum, count and buckets (see `toLineProtocol`), any other field's own. */
function writtenKeys(spec: FieldSpec): readonly string[] {
  return spec.kind === 'histogram' ? [spec.key, ...histogramFieldKeys(spec.key)] : [spec.key];
}

/**
 * What a meter has registered, with every rule that a registration must pass. Cloned by
 * `use()` so that a preset is added whole or not at all.
 */
export class Definitions {
  builders: BuilderDefinition[] = [];
  tags: TagDefinition[] = [];
  fields: FieldDefinition[] = [];
  series: SeriesDefinition[] = [];
  /** Who registered each scope: scope 0 is the meter's own; `newScope()` gives each preset another. */
  private owners = ['the meter'];
  private readonly fieldKeys = new Map<string, Registered>();
  private readonly meterTagKeys = new Map<string, Registered>();
  private readonly seriesTagKeys = new Map<string, Registered>();
  // Prometheus names: a label per tag key, and each name a field takes (see `prometheusNamesOf`).
  private readonly meterLabels = new Map<string, Registered>();
  private readonly seriesLabels = new Map<string, Registered>();
  private readonly metricNames = new Map<string, Registered>();

  /** `measurement` only names metrics in messages. */
  constructor(private readonly measurement = '<measurement>') {}

  get scopes(): number {
    return this.owners.length;
  }

  /** What the longest `,le=<bound>` of a histogram, the meter's or a series', adds to a series key; 0 without a histogram. */
  get leTagBytes(): number {
    const specs = [...this.fields.map((field) => field.spec), ...this.series.flatMap((series) => [...series.fields.values()])];
    return Math.max(0, ...specs.map((spec) => (spec.buckets === undefined ? 0 : leTagBytes(spec.buckets))));
  }

  clone(): Definitions {
    const copy = new Definitions(this.measurement);
    copy.builders = [...this.builders];
    copy.tags = [...this.tags];
    copy.fields = [...this.fields];
    copy.series = [...this.series];
    copy.owners = [...this.owners];
    const maps = ['fieldKeys', 'meterTagKeys', 'seriesTagKeys', 'meterLabels', 'seriesLabels', 'metricNames'] as const;
    for (const map of maps) for (const [key, value] of this[map]) copy[map].set(key, value);
    return copy;
  }

  /** A render context of its own for a preset, named in messages about the keys it registers. */
  newScope(presetName: string): number {
    this.owners.push(`preset "${presetName}"`);
    return this.owners.length - 1;
  }

  addBuilder(label: string, build: unknown, scope = 0): void {
    this.builders.push({ label, build: checkFunction(`context builder "${label}"`, build), scope });
  }

  addTag(key: unknown, valueOrFn: unknown, scope = 0): void {
    const checked = checkKey('tag', key);
    this.assertFreeTagKey(checked, this.meterTagKeys.get(checked) ?? this.seriesTagKeys.get(checked));
    const label = labelName(checked);
    this.assertFreeLabel(checked, label, this.meterLabels.get(label) ?? this.seriesLabels.get(label));
    this.assertNotLe(checked, label);
    let tag: TagDefinition;
    if (typeof valueOrFn === 'function') {
      tag = { key: checked, compute: valueOrFn as Compute, scope };
    } else if (typeof valueOrFn === 'string' && valueOrFn !== '' && normalizeTagValue(valueOrFn) === valueOrFn) {
      tag = { key: checked, compute: () => valueOrFn, scope };
    } else {
      throw new RegistrationError(
        `tag "${checked}" must have a non-empty string value without tabs, line breaks or trailing backslash, or a function; got ${describe(
          valueOrFn,
        )}`,
      );
    }
    this.meterTagKeys.set(checked, { key: checked, scope });
    this.meterLabels.set(label, { key: checked, scope });
    this.tags = [...this.tags, tag].sort((a, b) => compareByBytes(a.key, b.key));
  }

  addField(key: unknown, compute: unknown, options: unknown, scope = 0): void {
    const spec = fieldSpec(key, options);
    for (const written of writtenKeys(spec)) this.assertFreeFieldKey(written);
    if (spec.kind === 'histogram') this.assertNoLeTag(spec.key, this.meterLabels.get('le') ?? this.seriesLabels.get('le'));
    const metricNames = this.freeMetricNames(spec, new Map(), scope);
    const definition = { spec, compute: checkFunction(`field "${spec.key}"`, compute), scope };
    for (const written of writtenKeys(spec)) this.fieldKeys.set(written, { key: spec.key, scope, kind: spec.kind });
    for (const [metric, registered] of metricNames) this.metricNames.set(metric, registered);
    this.fields.push(definition);
  }

  addSeries(name: unknown, rows: unknown, options: unknown, scope = 0): void {
    if (typeof name !== 'string' || name === '') {
      throw new RegistrationError(`series name must be a non-empty string, got ${describe(name)}`);
    }
    if (this.series.some((series) => series.name === name)) throw new RegistrationError(`series "${name}" is already registered`);
    const compute = checkFunction(`series "${name}"`, rows);
    const { tags = [], fields } = checkOptions(`series "${name}"`, options);
    if (!Array.isArray(tags)) throw new RegistrationError(`series "${name}" tags must be an array of keys, got ${describe(tags)}`);
    if (typeof fields !== 'object' || fields === null || Object.keys(fields).length === 0) {
      throw new RegistrationError(`series "${name}" must declare its fields, e.g. { fields: { size: { type: 'integer' } } }`);
    }
    const tagKeys = tags.map((key: unknown) => checkKey('tag', key));
    const labels = new Map<string, Registered>();
    for (const [i, key] of tagKeys.entries()) {
      this.assertFreeTagKey(key, this.meterTagKeys.get(key) ?? (tagKeys.indexOf(key) !== i ? { key, scope } : undefined));
      const label = labelName(key);
      this.assertFreeLabel(key, label, this.meterLabels.get(label) ?? labels.get(label));
      this.assertNotLe(key, label);
      labels.set(label, { key, scope });
    }
    const specs = new Map<string, FieldSpec>();
    const metricNames = new Map<string, Registered>();
    for (const [key, fieldOptions] of Object.entries(fields)) {
      const spec = fieldSpec(key, fieldOptions);
      for (const written of writtenKeys(spec)) {
        this.assertFreeFieldKey(written);
        if (tagKeys.includes(written)) throw new RegistrationError(`field key "${written}" is already registered as a tag key`);
        const pending = [...specs.values()].find((other) => writtenKeys(other).includes(written));
        if (pending !== undefined)
          throw new RegistrationError(`field key "${written}" of series "${name}" is already written by its field "${pending.key}"`);
      }
      if (spec.kind === 'histogram')
        this.assertNoLeTag(spec.key, this.meterLabels.get('le') ?? labels.get('le') ?? this.seriesLabels.get('le'));
      for (const [metric, registered] of this.freeMetricNames(spec, metricNames, scope)) metricNames.set(metric, registered);
      specs.set(spec.key, spec);
    }
    for (const key of tagKeys) if (!this.seriesTagKeys.has(key)) this.seriesTagKeys.set(key, { key, scope });
    for (const [label, registered] of labels) if (!this.seriesLabels.has(label)) this.seriesLabels.set(label, registered);
    for (const spec of specs.values())
      for (const written of writtenKeys(spec)) this.fieldKeys.set(written, { key: spec.key, scope, kind: spec.kind });
    for (const [metric, registered] of metricNames) this.metricNames.set(metric, registered);
    this.series.push({ name, tagKeys: [...tagKeys].sort(compareByBytes), fields: specs, rows: compute, scope });
  }

  private by(registered: Registered): string {
    return `by ${this.owners[registered.scope]}`;
  }

  private assertFreeTagKey(key: string, taken: Registered | undefined): void {
    if (taken) throw new RegistrationError(`tag key "${key}" is already registered ${this.by(taken)}`);
    const field = this.fieldKeys.get(key);
    if (field) throw new RegistrationError(`tag key "${key}" is already registered as a field key ${this.by(field)}`);
  }

  private assertFreeFieldKey(key: string): void {
    const field = this.fieldKeys.get(key);
    if (field && field.key !== key) {
      throw new RegistrationError(`field key "${key}" is already written by histogram field "${field.key}" registered ${this.by(field)}`);
    }
    if (field) throw new RegistrationError(`field key "${key}" is already registered ${this.by(field)}`);
    const tag = this.meterTagKeys.get(key) ?? this.seriesTagKeys.get(key);
    if (tag) throw new RegistrationError(`field key "${key}" is already registered as a tag key ${this.by(tag)}`);
  }

  /** A histogram's buckets are told apart by the tag (and label) `le`: no tag may have that name beside one. */
  private assertNotLe(key: string, label: string): void {
    if (label !== 'le') return;
    const histogram = [...this.fieldKeys.values()].find((field) => field.kind === 'histogram');
    if (histogram === undefined) return;
    throw new RegistrationError(
      `tag key "${key}" would be the label "le", which histogram field "${histogram.key}" registered ${this.by(histogram)} gives its buckets`,
    );
  }

  private assertNoLeTag(key: string, tag: Registered | undefined): void {
    if (tag === undefined) return;
    throw new RegistrationError(
      `histogram field "${key}" gives its buckets the label "le", which tag key "${tag.key}" registered ${this.by(tag)} already is`,
    );
  }

  /** Prometheus refuses a sample with two labels of one name, and drops the whole target. */
  private assertFreeLabel(key: string, label: string, taken: Registered | undefined): void {
    if (taken === undefined) return;
    throw new RegistrationError(
      `tag key "${key}" would be the Prometheus label "${label}", as tag key "${taken.key}" registered ${this.by(taken)} is: rename one`,
    );
  }

  /**
   * The names the field takes in Prometheus and OpenMetrics, each checked against those of every
   * other field (the meter's and its series', all named `<measurement>_<key>`) and of `pending`.
   * String fields are never served there, and take none.
   */
  private freeMetricNames(spec: FieldSpec, pending: ReadonlyMap<string, Registered>, scope: number): Map<string, Registered> {
    const names = new Map<string, Registered>();
    if (spec.type === 'string') return names;
    const prefix = 'm_';
    for (const name of prometheusNamesOf(prefix, spec.key, spec.kind)) {
      const taken = this.metricNames.get(name) ?? pending.get(name);
      if (taken !== undefined) {
        const served = `${this.measurement}_${name.slice(prefix.length)}`;
        throw new RegistrationError(
          `${spec.kind} field "${spec.key}" and ${taken.kind} field "${taken.key}" registered ${this.by(
            taken,
          )} would both be served to Prometheus as "${served}": rename one`,
        );
      }
      names.set(name, { key: spec.key, scope, kind: spec.kind });
    }
    return names;
  }
}
