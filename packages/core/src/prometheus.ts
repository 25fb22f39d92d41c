import type { FieldKind } from './field-types.js';
import { labelName, metricName, namesOfMetric } from './prometheus-names.js';
import { snapshotsOf, type FieldSample, type Point, type Snapshot } from './snapshot.js';

// Prometheus text exposition 0.0.4 and OpenMetrics 1.0 from one snapshot or several. Each field
// becomes a metric family named <measurement>_<field>, each point's tags its labels; counters are
// `…_total`. String fields have no place in either format and are left out.

type Dialect = 'prometheus' | 'openmetrics';

interface Family {
  /** The name of its `# HELP` and `# TYPE` lines in this dialect. */
  readonly name: string;
  readonly sampleName: string;
  readonly type: FieldKind;
  readonly help: string;
  readonly samples: string[];
}

function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function helpText(help: string, dialect: Dialect): string {
  const escaped = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return dialect === 'openmetrics' ? escaped.replace(/"/g, '\\"') : escaped;
}

function labels(point: Point): string {
  if (point.tags.length === 0) return '';
  return `{${point.tags.map(({ key, value }) => `${labelName(key)}="${labelValue(value)}"`).join(',')}}`;
}

function sampleValue({ value }: FieldSample): string {
  return typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
}

function render(collected: Snapshot | readonly Snapshot[], dialect: Dialect): string {
  const snapshots = snapshotsOf(collected);
  // Every name a family takes in either format, so that the samples of one field, of every point
  // and every snapshot, are served together under one TYPE. Registration keeps the names of one
  // meter apart; two snapshots may still bring fields whose names collide with another kind
  // (meter `a` with a counter `b_x`, meter `a_b` with a gauge `x`): the first wins, in both formats alike.
  const byName = new Map<string, Family>();
  const families: Family[] = [];
  // Two snapshots can repeat a sample (two meters of one name and tags), and Prometheus refuses
  // a whole scrape that does: the first one is served. One snapshot cannot.
  const served = snapshots.length > 1 ? new Set<string>() : undefined;
  for (const snapshot of snapshots) {
    const prefix = `${snapshot.measurement}_`;
    for (const point of snapshot.points) {
      const pointLabels = labels(point);
      for (const sample of point.fields) {
        const { spec } = sample;
        if (spec.type === 'string') continue;
        const metric = metricName(`${prefix}${spec.key}`);
        let family = byName.get(metric);
        if (family === undefined) {
          const names = namesOfMetric(metric, spec.kind);
          // A gauge's one name is free; a counter's other name may be a gauge's.
          if (names.length > 1 && (byName.has(names[0]!) || byName.has(names[1]!))) continue;
          // A counter's family is named without `_total` in OpenMetrics and with it in 0.0.4; its samples always with it.
          const sampleName = names.at(-1)!;
          const name = dialect === 'openmetrics' ? names[0]! : sampleName;
          family = { name, sampleName, type: spec.kind, help: spec.help ?? `${spec.key} of ${snapshot.measurement}`, samples: [] };
          families.push(family);
          for (const taken of names) byName.set(taken, family);
        } else if (family.type !== spec.kind) {
          continue;
        }
        if (served !== undefined) {
          const series = `${family.sampleName}${pointLabels}`;
          if (served.has(series)) continue;
          served.add(series);
        }
        family.samples.push(`${family.sampleName}${pointLabels} ${sampleValue(sample)}\n`);
      }
    }
  }
  let text = '';
  for (const family of families) {
    text += `# HELP ${family.name} ${helpText(family.help, dialect)}\n# TYPE ${family.name} ${family.type}\n${family.samples.join('')}`;
  }
  return dialect === 'openmetrics' ? `${text}# EOF\n` : text;
}

export function toPrometheus(snapshots: Snapshot | readonly Snapshot[]): string {
  return render(snapshots, 'prometheus');
}

export function toOpenMetrics(snapshots: Snapshot | readonly Snapshot[]): string {
  return render(snapshots, 'openmetrics');
}
