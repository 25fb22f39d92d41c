import { RegistrationError, describe } from './errors.js';
import { histogramProblem, type HistogramValue } from './histogram.js';
import { nativeProblem, type NativeLayout } from './native-histogram.js';

export const FIELD_TYPES = ['float', 'integer', 'string', 'boolean'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
export type FieldValue = number | bigint | string | boolean | HistogramValue;
export const FIELD_KINDS = ['gauge', 'counter', 'histogram'] as const;
export type FieldKind = (typeof FIELD_KINDS)[number];

/** What a field of each type may give: its values, and `undefined` or `null` for "no value this time". */
interface ValuesOfType {
  float: number;
  integer: number | bigint;
  string: string;
  boolean: boolean;
}
export type ValueOfType<T extends FieldType> = ValuesOfType[T] | undefined | null;
/** What a field of type `T` and kind `K` may give: a histogram gives a `HistogramValue`, any other kind a value of its type. */
export type ValueOfField<T extends FieldType, K extends FieldKind> = K extends 'histogram'
  ? HistogramValue | undefined | null
  : ValueOfType<T>;
/** What a field's function may return: a value of its type (or a histogram), absent, or a promise of either. */
export type FieldResult<T extends FieldType, K extends FieldKind = FieldKind> = ValueOfField<T, K> | Promise<ValueOfField<T, K>>;

/**
 * What a field's figure counts in: a small closed set, so that a dashboard can pick its display
 * unit from the catalog (Grafana: `bytes`, `s`, `dateTimeAsIso` after ×1000, `percent`,
 * `percentunit`, `short`, `none`).
 */
export const FIELD_UNITS = {
  bytes: 'bytes',
  seconds: 'a duration, in seconds',
  epoch_seconds: 'a moment, in seconds since the Unix epoch',
  percent: 'a share in percent: 100 is the whole (or one CPU core)',
  ratio: 'a share from 0 to 1',
  count: 'a number of things or events',
  none: 'not a quantity (an identifier, a name, a flag)',
} as const;
export type FieldUnit = keyof typeof FIELD_UNITS;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// Beyond 2^53 a float is always integral; 2^63 itself is the first float out of int64 range.
const INT64_LIMIT_AS_FLOAT = 2 ** 63;
/** InfluxDB's documented limit for a string field, in UTF-8 bytes. */
export const MAX_STRING_BYTES = 64 * 1024 - 1;
const utf8 = new TextEncoder();

export function checkFieldType(key: string, type: unknown): FieldType {
  if (type === undefined) return 'float';
  if (!FIELD_TYPES.includes(type as FieldType)) {
    throw new RegistrationError(
      `field "${key}" has type ${JSON.stringify(type)}; expected one of ${FIELD_TYPES.map((t) => `"${t}"`).join(', ')}`,
    );
  }
  return type as FieldType;
}

export function checkFieldKind(key: string, type: FieldType, kind: unknown): FieldKind {
  if (kind === undefined) return 'gauge';
  if (!FIELD_KINDS.includes(kind as FieldKind)) {
    throw new RegistrationError(`field "${key}" has kind ${JSON.stringify(kind)}; expected "gauge", "counter" or "histogram"`);
  }
  if (kind === 'counter' && type !== 'float' && type !== 'integer') {
    throw new RegistrationError(`field "${key}" is a counter, so its type must be "float" or "integer", not "${type}"`);
  }
  if (kind === 'histogram' && type !== 'float') {
    throw new RegistrationError(`field "${key}" is a histogram of numbers, so its type must be "float" (the default), not "${type}"`);
  }
  return kind as FieldKind;
}

export function checkFieldUnit(key: string, unit: unknown): FieldUnit | undefined {
  if (unit === undefined || Object.hasOwn(FIELD_UNITS, unit as PropertyKey)) return unit as FieldUnit | undefined;
  const units = Object.keys(FIELD_UNITS)
    .map((u) => `"${u}"`)
    .join(', ');
  throw new RegistrationError(`field "${key}" has unit ${JSON.stringify(unit)}; expected one of ${units}`);
}

/** No value this time: the field is left out of the line, silently. NaN and ±Infinity cannot be written. */
export function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'number' && !Number.isFinite(value));
}

/** Why a present value cannot be written as `type`, or undefined when it can. */
export function problemWith(type: FieldType, value: unknown): string | undefined {
  switch (type) {
    case 'float':
      return typeof value === 'number' ? undefined : `expected a float (number), got ${describe(value)}`;
    case 'integer':
      if (typeof value === 'number') {
        if (!Number.isInteger(value)) return `expected an integer, got ${describe(value)}`;
        return value >= -INT64_LIMIT_AS_FLOAT && value < INT64_LIMIT_AS_FLOAT ? undefined : `integer ${BigInt(value)} is outside int64`;
      }
      if (typeof value === 'bigint') {
        return value >= INT64_MIN && value <= INT64_MAX ? undefined : `integer ${value} is outside int64`;
      }
      return `expected an integer (number or bigint), got ${describe(value)}`;
    case 'string':
      if (typeof value !== 'string') return `expected a string, got ${describe(value)}`;
      // A UTF-16 unit is at most 3 UTF-8 bytes: only long strings need encoding to know.
      if (value.length * 3 > MAX_STRING_BYTES) {
        const bytes = utf8.encode(value).length;
        if (bytes > MAX_STRING_BYTES) return `string of ${bytes} bytes exceeds InfluxDB's limit of ${MAX_STRING_BYTES}`;
      }
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected a boolean, got ${describe(value)}`;
  }
}

/** Why a present value cannot be written as the field's: its type's rule, or a histogram's of its buckets (and native layout). */
export function problemOf(
  spec: { readonly type: FieldType; readonly buckets?: readonly number[]; readonly native?: NativeLayout },
  value: unknown,
): string | undefined {
  if (spec.buckets === undefined) return problemWith(spec.type, value);
  const problem = histogramProblem(spec.buckets, value);
  if (problem !== undefined) return problem;
  const { counts, native } = value as HistogramValue;
  if (native === undefined) return undefined;
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  return nativeProblem(spec.native, native, total);
}
