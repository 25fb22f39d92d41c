import { labelName, metricName } from './prometheus-names.js';
import type { FieldSample, Point, Snapshot } from './snapshot.js';

// Prometheus text exposition 0.0.4 and OpenMetrics 1.0 from one snapshot. Each field becomes a
// metric family named <measurement>_<field>, each point's tags its labels; counters are
// `…_total`. String fields have no place in either format and are left out.

type Dialect = 'prometheus' | 'openmetrics';

interface Family {
  readonly type: 'counter' | 'gauge';
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

function render(snapshot: Snapshot, dialect: Dialect): string {
  const families = new Map<string, Family>();
  for (const point of snapshot.points) {
    const pointLabels = labels(point);
    for (const sample of point.fields) {
      const { spec } = sample;
      if (spec.type === 'string') continue;
      const name = metricName(`${snapshot.measurement}_${spec.key}`);
      // The family of a counter is named without `_total`; its samples, and in 0.0.4 the family, with it.
      const base = spec.kind === 'counter' ? name.replace(/_total$/, '') : name;
      const familyName = spec.kind === 'counter' && dialect === 'prometheus' ? `${base}_total` : base;
      let family = families.get(familyName);
      if (family === undefined) {
        family = { type: spec.kind, help: spec.help ?? `${spec.key} of ${snapshot.measurement}`, samples: [] };
        families.set(familyName, family);
      } else if (family.type !== spec.kind) {
        continue; // Two fields that sanitize to one name with different kinds: the first wins.
      }
      const sampleName = spec.kind === 'counter' ? `${base}_total` : base;
      family.samples.push(`${sampleName}${pointLabels} ${sampleValue(sample)}\n`);
    }
  }
  let text = '';
  for (const [name, family] of families) {
    text += `# HELP ${name} ${helpText(family.help, dialect)}\n# TYPE ${name} ${family.type}\n${family.samples.join('')}`;
  }
  return dialect === 'openmetrics' ? `${text}# EOF\n` : text;
}

export function toPrometheus(snapshot: Snapshot): string {
  return render(snapshot, 'prometheus');
}

export function toOpenMetrics(snapshot: Snapshot): string {
  return render(snapshot, 'openmetrics');
}
