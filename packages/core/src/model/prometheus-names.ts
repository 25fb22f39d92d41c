import type { FieldKind } from './field-types.js';

// What a meter's names become in Prometheus and OpenMetrics: each field is a metric family named
// `<measurement>_<field key>`, each tag key a label name. Shared by the formats that serve them
// and by registration, which refuses two keys that would become one name.

const INVALID_NAME_CHARACTERS = /[^a-zA-Z0-9_:]/g;
const VALID_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const INVALID_LABEL_CHARACTERS = /[^a-zA-Z0-9_]/g;
const VALID_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

// Most names are valid as they are: a test is cheaper than a replace that finds nothing.
/** A valid metric name: [a-zA-Z_:][a-zA-Z0-9_:]*. */
export function metricName(name: string): string {
  if (VALID_NAME.test(name)) return name;
  const valid = name.replace(INVALID_NAME_CHARACTERS, '_');
  return /^[0-9]/.test(valid) ? `_${valid}` : valid;
}

/** A valid label name: [a-zA-Z_][a-zA-Z0-9_]*. */
export function labelName(name: string): string {
  if (VALID_LABEL.test(name)) return name;
  const valid = name.replace(INVALID_LABEL_CHARACTERS, '_');
  return /^[0-9]/.test(valid) ? `_${valid}` : valid;
}

/**
 * Every name a field takes in either format: a gauge's family and samples share one name; a
 * counter's samples are `<name>_total`, its family `<name>` in OpenMetrics and `<name>_total` in
 * the text format 0.0.4. `prefix` is `<measurement>_`: the same for every field of a meter.
 */
export function prometheusNamesOf(prefix: string, key: string, kind: FieldKind): string[] {
  return namesOfMetric(metricName(`${prefix}${key}`), kind);
}

/**
 * The same, from the field's metric name (`metricName(prefix + key)`): its family's name first, its
 * samples' last. A histogram's family is `<name>`, its samples `<name>_bucket`, `_sum` and `_count`.
 */
export function namesOfMetric(name: string, kind: FieldKind): string[] {
  if (kind === 'gauge') return [name];
  if (kind === 'histogram') return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
  const base = name.replace(/_total$/, '');
  return [base, `${base}_total`];
}
