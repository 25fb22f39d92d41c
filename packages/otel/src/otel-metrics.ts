import type { FieldSpec, FieldValue, HistogramValue, Snapshot, Tag } from '@runometer/core';
import { otelField, type OtelField } from './otel-field.js';
import type { PresetUnits } from './preset-units.js';

export type Attributes = Readonly<Record<string, string>>;

/** One point of a metric: a number (a boolean as 1 or 0), or a histogram's counts per bucket and sum. */
export interface OtelPoint {
  readonly attributes: Attributes;
  readonly value: number | HistogramValue;
  /** Its snapshot's timestamp (nanoseconds since the epoch), where the snapshot has one. */
  readonly time: bigint | undefined;
}

/** A metric: the field that named it first, and the points of every field and snapshot that share its name. */
export interface OtelMetric {
  readonly field: OtelField;
  readonly points: OtelPoint[];
}

function valueOf(value: FieldValue): number | HistogramValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  // OpenTelemetry's points are doubles: an integer beyond 2^53 keeps its magnitude, not its last digits.
  if (typeof value === 'bigint') return Number(value);
  return value as number | HistogramValue;
}

function attributesOf(field: OtelField, tags: readonly Tag[]): Attributes {
  const attributes: Record<string, string> = {};
  for (const { key, value } of tags) attributes[field.tags[key] ?? key] = value;
  return Object.assign(attributes, field.attributes);
}

const sameMetric = (a: OtelField, b: OtelField) => a.instrument === b.instrument && a.unit === b.unit && a.integer === b.integer;

/**
 * Snapshots as OpenTelemetry metrics, by name: what the producer and the observable instruments
 * both export. Keeps what it worked out of each field from one collection to the next.
 */
export class OtelMetrics {
  private readonly fields = new WeakMap<FieldSpec, { readonly measurement: string; readonly field: OtelField | undefined }>();
  private readonly reported = new Set<string>();

  constructor(private readonly units: PresetUnits) {}

  /**
   * The snapshots' fields, string fields left out, each point once (the first of two that give a
   * metric the same attributes: two snapshots of one meter). A field whose name another field
   * took first with another instrument, unit or value type is left out and reported in `errors`,
   * once per collector.
   */
  collect(snapshots: readonly Snapshot[], errors: Error[]): Map<string, OtelMetric> {
    const metrics = new Map<string, OtelMetric & { readonly seen: Set<string> }>();
    for (const { measurement, points, timestamp } of snapshots) {
      for (const { tags, fields } of points) {
        for (const { spec, value } of fields) {
          const field = this.fieldOf(measurement, spec);
          if (field === undefined) continue;
          let metric = metrics.get(field.name);
          if (metric === undefined) metrics.set(field.name, (metric = { field, points: [], seen: new Set() }));
          else if (!sameMetric(metric.field, field)) {
            this.report(errors, field, measurement, spec.key, metric.field);
            continue;
          }
          const attributes = attributesOf(field, tags);
          const identity = JSON.stringify(attributes);
          if (metric.seen.has(identity)) continue;
          metric.seen.add(identity);
          metric.points.push({ attributes, value: valueOf(value), time: timestamp });
        }
      }
    }
    return metrics;
  }

  private fieldOf(measurement: string, spec: FieldSpec): OtelField | undefined {
    const known = this.fields.get(spec);
    if (known !== undefined && known.measurement === measurement) return known.field;
    const field = otelField(measurement, { ...spec, unit: this.units.unitOf(spec.key) });
    this.fields.set(spec, { measurement, field });
    return field;
  }

  private report(errors: Error[], field: OtelField, measurement: string, key: string, first: OtelField): void {
    const what = `field "${key}" of "${measurement}"`;
    if (this.reported.has(what)) return;
    this.reported.add(what);
    const shape = (f: OtelField) => `${f.instrument} of ${f.integer ? 'integers' : 'doubles'} in "${f.unit}"`;
    errors.push(
      new Error(
        `${what} is left out: it would be a ${shape(field)} named "${field.name}", which another field took first as a ${shape(first)}`,
      ),
    );
  }
}
