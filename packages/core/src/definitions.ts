import { RegistrationError, describe } from './errors.js';
import { checkFieldKind, checkFieldType, type FieldKind, type FieldType } from './field-types.js';
import { escapeKey, normalizeTagValue } from './line-protocol.js';
import { checkKey, compareByBytes } from './names.js';
import type { BuilderDefinition, Compute, FieldDefinition, SeriesDefinition, TagDefinition } from './plan.js';
import type { FieldSpec } from './snapshot.js';

export interface FieldOptions {
  /** Fixed at registration: InfluxDB drops a point whose field changed type. Default `'float'`. */
  type?: FieldType;
  /**
   * `'counter'` for a value that only grows (restarting from 0 with the process), `'gauge'`
   * (default) for one that goes up and down. Formats that know the difference use it:
   * Prometheus names counters `…_total` and computes rates from them.
   */
  kind?: FieldKind;
  /** One line saying what the field measures, and in which unit. */
  help?: string;
}

export interface SeriesOptions {
  /** The keys of the tags that tell this series' rows apart, e.g. `['space']`. */
  tags?: readonly string[];
  /** Every field a row may carry, with its type. */
  fields: Readonly<Record<string, FieldOptions>>;
}

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
  const { type, kind, help } = checkOptions(`field "${checked}"`, options);
  const fieldType = checkFieldType(checked, type);
  if (help !== undefined && typeof help !== 'string') {
    throw new RegistrationError(`field "${checked}" help must be a string, got ${describe(help)}`);
  }
  const spec = { key: checked, escapedKey: escapeKey(checked), type: fieldType, kind: checkFieldKind(checked, fieldType, kind) };
  return help === undefined ? spec : { ...spec, help };
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
  /** Scope 0 is the meter's own; `newScope()` gives each preset another. */
  scopes = 1;
  private readonly fieldKeys = new Set<string>();
  private readonly meterTagKeys = new Set<string>();
  private readonly seriesTagKeys = new Set<string>();

  clone(): Definitions {
    const copy = new Definitions();
    copy.builders = [...this.builders];
    copy.tags = [...this.tags];
    copy.fields = [...this.fields];
    copy.series = [...this.series];
    copy.scopes = this.scopes;
    for (const key of this.fieldKeys) copy.fieldKeys.add(key);
    for (const key of this.meterTagKeys) copy.meterTagKeys.add(key);
    for (const key of this.seriesTagKeys) copy.seriesTagKeys.add(key);
    return copy;
  }

  newScope(): number {
    return this.scopes++;
  }

  addBuilder(label: string, build: unknown, scope = 0): void {
    this.builders.push({ label, build: checkFunction(`context builder "${label}"`, build), scope });
  }

  addTag(key: unknown, valueOrFn: unknown, scope = 0): void {
    const checked = checkKey('tag', key);
    this.assertFreeTagKey(checked, this.meterTagKeys.has(checked) || this.seriesTagKeys.has(checked));
    let tag: TagDefinition;
    if (typeof valueOrFn === 'function') {
      tag = { key: checked, compute: valueOrFn as Compute, scope };
    } else if (typeof valueOrFn === 'string' && valueOrFn !== '' && normalizeTagValue(valueOrFn) === valueOrFn) {
      tag = { key: checked, compute: () => valueOrFn, scope };
    } else {
      throw new RegistrationError(
        `tag "${checked}" must have a non-empty string value without tabs, line breaks or trailing backslash, or a function; got ${describe(valueOrFn)}`,
      );
    }
    this.meterTagKeys.add(checked);
    this.tags = [...this.tags, tag].sort((a, b) => compareByBytes(a.key, b.key));
  }

  addField(key: unknown, compute: unknown, options: unknown, scope = 0): void {
    const spec = fieldSpec(key, options);
    this.assertFreeFieldKey(spec.key);
    const definition = { ...spec, compute: checkFunction(`field "${spec.key}"`, compute), scope };
    this.fieldKeys.add(spec.key);
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
    for (const [i, key] of tagKeys.entries()) this.assertFreeTagKey(key, this.meterTagKeys.has(key) || tagKeys.indexOf(key) !== i);
    const specs = new Map<string, FieldSpec>();
    for (const [key, fieldOptions] of Object.entries(fields)) {
      const spec = fieldSpec(key, fieldOptions);
      this.assertFreeFieldKey(spec.key);
      if (tagKeys.includes(spec.key)) throw new RegistrationError(`field key "${spec.key}" is already registered as a tag key`);
      specs.set(spec.key, spec);
    }
    for (const key of tagKeys) this.seriesTagKeys.add(key);
    for (const key of specs.keys()) this.fieldKeys.add(key);
    this.series.push({ name, tagKeys: [...tagKeys].sort(compareByBytes), fields: specs, rows: compute, scope });
  }

  private assertFreeTagKey(key: string, taken: boolean): void {
    if (taken) throw new RegistrationError(`tag key "${key}" is already registered`);
    if (this.fieldKeys.has(key)) throw new RegistrationError(`tag key "${key}" is already registered as a field key`);
  }

  private assertFreeFieldKey(key: string): void {
    if (this.fieldKeys.has(key)) throw new RegistrationError(`field key "${key}" is already registered`);
    if (this.meterTagKeys.has(key) || this.seriesTagKeys.has(key)) {
      throw new RegistrationError(`field key "${key}" is already registered as a tag key`);
    }
  }
}
