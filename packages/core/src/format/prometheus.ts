import type { FieldKind } from '../model/field-types.js';
import { leLabels, type HistogramValue } from '../model/histogram.js';
import { labelName, metricName, namesOfMetric } from '../model/prometheus-names.js';
import { RenderMemo } from '../model/render-memo.js';
import { isFixed, snapshotsOf, type FieldSample, type FieldSpec, type Point, type Snapshot, type Tag } from '../model/snapshot.js';

// Prometheus text exposition 0.0.4 and OpenMetrics 1.0 from one snapshot or several. Each field
// becomes a metric family named <measurement>_<field>, each point's tags its labels; counters are
// `…_total`. String fields have no place in either format and are left out.

type Dialect = 'prometheus' | 'openmetrics';

const LABEL_VALUE_SPECIALS = /[\\"\n]/;
const HELP_SPECIALS = /[\\\n]/;

interface Family {
  readonly sampleName: string;
  readonly type: FieldKind;
  /** Its `# HELP` and `# TYPE` lines. */
  readonly header: string;
  /** Its sample lines, in order. */
  samples: string;
  /** The label sets it has served, when several snapshots may repeat one. */
  served: Set<string> | undefined;
  /** The names it took, released when the render ends. */
  readonly claims: readonly NameClaim[];
}

/**
 * One metric name, and the family that took it in the render under way. Every name a family
 * takes in either format is claimed, so that the samples of one field, of every point and every
 * snapshot, are served together under one TYPE; a render finds a name's family without a table of its own.
 */
interface NameClaim {
  render: object | undefined;
  family: Family | undefined;
}

/** What a field of a measurement is called in both dialects. */
interface FieldNames {
  readonly key: string;
  readonly kind: FieldKind;
  readonly help: string | undefined;
  /** Its family's name (a counter's without `_total`) and its samples' name: one name for a gauge, the family's for a histogram. */
  readonly familyClaim: NameClaim;
  readonly sampleClaim: NameClaim;
  /** Every name it takes, once each: a histogram's `_bucket`, `_sum` and `_count` too. */
  readonly claims: readonly NameClaim[];
  readonly sampleName: string;
  readonly prometheusHeader: string;
  readonly openMetricsHeader: string;
}

// A field's names and header lines are the same at every render of its meter, and at every render
// of a meter of the same name elsewhere (a cluster worker's snapshot arrives as new objects each
// time): worked out once per measurement and key, and found again by them, not per sample.
// Forgotten all at once, between renders, when there are too many to keep.
const MAX_CACHED_NAMES = 100_000;

/** The names of a measurement's fields: by key, and in the order the last snapshot of it gave its samples. */
interface MeasurementNames {
  readonly byKey: Map<string, FieldNames>;
  /**
   * A snapshot gives its samples in the order the one before did: reading them in that order
   * touches memory in sequence, where a table of thousands of keys costs a cache miss or three each.
   */
  readonly inOrder: FieldNames[];
}

/** What the Prometheus formats keep from one render to the next (see `RenderMemo`). */
class ExpositionMemo {
  private namesByMeasurement = new Map<string, MeasurementNames>();
  private claims = new Map<string, NameClaim>();
  /** The labels of tag lists that cannot change (see `isFixed`), written once. */
  readonly labelTexts = new WeakMap<readonly Tag[], string>();

  claimOf(name: string): NameClaim {
    let claim = this.claims.get(name);
    if (claim === undefined) {
      claim = { render: undefined, family: undefined };
      this.claims.set(name, claim);
    }
    return claim;
  }

  namesOfMeasurement(measurement: string): MeasurementNames {
    let names = this.namesByMeasurement.get(measurement);
    if (names === undefined) {
      names = { byKey: new Map(), inOrder: [] };
      this.namesByMeasurement.set(measurement, names);
    }
    return names;
  }

  /** Forgets every name when there are too many to keep; only between renders. */
  forgetWhenFull(): void {
    if (this.claims.size <= MAX_CACHED_NAMES) return;
    this.namesByMeasurement = new Map();
    this.claims = new Map();
  }
}

const expositionMemo = new RenderMemo(() => new ExpositionMemo());

function header(name: string, kind: FieldKind, help: string): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${kind}\n`;
}

function fieldNames(memo: ExpositionMemo, spec: FieldSpec, measurement: string): FieldNames {
  const names = namesOfMetric(metricName(`${measurement}_${spec.key}`), spec.kind);
  const familyName = names[0]!;
  // A histogram's samples are named by adding a suffix to its family's name.
  const sampleName = spec.kind === 'histogram' ? familyName : names[names.length - 1]!;
  const help = spec.help ?? `${spec.key} of ${measurement}`;
  const escapedHelp = HELP_SPECIALS.test(help) ? help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : help;
  const familyClaim = memo.claimOf(familyName);
  const sampleClaim = memo.claimOf(sampleName);
  return {
    key: spec.key,
    kind: spec.kind,
    help: spec.help,
    familyClaim,
    sampleClaim,
    claims: [...new Set(names.map((name) => memo.claimOf(name)))],
    sampleName,
    // A counter's family is named without `_total` in OpenMetrics and with it in 0.0.4; its samples always with it.
    prometheusHeader: header(sampleName, spec.kind, escapedHelp),
    openMetricsHeader: header(familyName, spec.kind, escapedHelp.replace(/"/g, '\\"')),
  };
}

const describes = (names: FieldNames | undefined, spec: FieldSpec): names is FieldNames =>
  names !== undefined && names.key === spec.key && names.kind === spec.kind && names.help === spec.help;

/** The names of the field that gives a measurement's `ordinal`-th sample. */
function namesOf(memo: ExpositionMemo, spec: FieldSpec, measurement: string, known: MeasurementNames, ordinal: number): FieldNames {
  const inOrder = known.inOrder[ordinal];
  if (describes(inOrder, spec)) return inOrder;
  let names = known.byKey.get(spec.key);
  if (!describes(names, spec)) {
    names = fieldNames(memo, spec, measurement);
    known.byKey.set(spec.key, names);
  }
  known.inOrder[ordinal] = names;
  return names;
}

function labelValue(value: string): string {
  if (!LABEL_VALUE_SPECIALS.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(labelTexts: WeakMap<readonly Tag[], string>, point: Point): string {
  const { tags } = point;
  if (tags.length === 0) return '';
  let text = labelTexts.get(tags);
  if (text !== undefined) return text;
  text = '{';
  for (let i = 0; i < tags.length; i++) {
    const { key, value } = tags[i]!;
    text += `${i === 0 ? '' : ','}${labelName(key)}="${labelValue(value)}"`;
  }
  text += '}';
  if (isFixed(tags)) labelTexts.set(tags, text);
  return text;
}

function sampleValue({ value }: FieldSample): string {
  return typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
}

/** A histogram's samples for one label set: its buckets, cumulative, in order of `le` with `+Inf` last, then `_sum` and `_count`. */
function histogramSamples(name: string, pointLabels: string, bounds: readonly number[], { counts, sum }: HistogramValue): string {
  const les = leLabels(bounds);
  const bucket = pointLabels === '' ? `${name}_bucket{le="` : `${name}_bucket${pointLabels.slice(0, -1)},le="`;
  let text = '';
  let cumulative = 0;
  for (let i = 0; i < les.length; i++) {
    cumulative += counts[i]!;
    text += `${bucket}${les[i]}"} ${cumulative}\n`;
  }
  return `${text}${name}_sum${pointLabels} ${sum}\n${name}_count${pointLabels} ${cumulative}\n`;
}

/**
 * The family a field's samples join in the render `render`, created the first time one of its
 * names is met, or undefined when the field is left out. Registration keeps the names of one
 * meter apart; two snapshots may still bring fields whose names collide with another kind (meter
 * `a` with a counter `b_x`, meter `a_b` with a gauge `x`): the first wins, in both formats alike.
 */
function familyOf(names: FieldNames, render: object, families: Family[], dialect: Dialect): Family | undefined {
  const { sampleClaim } = names;
  if (sampleClaim.render === render) return sampleClaim.family!.type === names.kind ? sampleClaim.family : undefined;
  // A gauge's one name is free; a counter's or a histogram's other names may be another field's.
  for (const claim of names.claims) if (claim.render === render) return undefined;
  const family: Family = {
    sampleName: names.sampleName,
    type: names.kind,
    header: dialect === 'openmetrics' ? names.openMetricsHeader : names.prometheusHeader,
    samples: '',
    served: undefined,
    claims: names.claims,
  };
  families.push(family);
  for (const claim of family.claims) {
    claim.render = render;
    claim.family = family;
  }
  return family;
}

/**
 * The label sets that more than one point has, when several snapshots are rendered together.
 * Two snapshots can repeat a sample (two meters of one name and tags), and Prometheus refuses a
 * whole scrape that does: the first one is served. Only points of the same labels can repeat one,
 * so only theirs are checked sample by sample. One snapshot cannot.
 */
function repeatedLabels(snapshots: number, labelsOfPoints: readonly string[]): Set<string> | undefined {
  if (snapshots < 2) return undefined;
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const pointLabels of labelsOfPoints) {
    if (seen.has(pointLabels)) repeated.add(pointLabels);
    else seen.add(pointLabels);
  }
  return repeated.size > 0 ? repeated : undefined;
}

function render(memo: ExpositionMemo, collected: Snapshot | readonly Snapshot[], dialect: Dialect): string {
  const snapshots = snapshotsOf(collected);
  memo.forgetWhenFull();
  const thisRender = {};
  const families: Family[] = [];
  try {
    const labelsOfPoints: string[] = [];
    for (const { points } of snapshots) for (const point of points) labelsOfPoints.push(labels(memo.labelTexts, point));
    const repeated = repeatedLabels(snapshots.length, labelsOfPoints);
    let index = 0;
    for (const { measurement, points } of snapshots) {
      const ofMeasurement = memo.namesOfMeasurement(measurement);
      let ordinal = 0;
      for (const point of points) {
        const pointLabels = labelsOfPoints[index++]!;
        const mayRepeat = repeated?.has(pointLabels) === true;
        for (const sample of point.fields) {
          const { spec } = sample;
          if (spec.type === 'string') continue;
          const family = familyOf(namesOf(memo, spec, measurement, ofMeasurement, ordinal++), thisRender, families, dialect);
          if (family === undefined) continue;
          if (mayRepeat) {
            const served = (family.served ??= new Set());
            if (served.has(pointLabels)) continue;
            served.add(pointLabels);
          }
          family.samples +=
            spec.buckets === undefined
              ? `${family.sampleName}${pointLabels} ${sampleValue(sample)}\n`
              : histogramSamples(family.sampleName, pointLabels, spec.buckets, sample.value as HistogramValue);
        }
      }
    }
    // A rope, flattened once when it is written: V8's `join` costs several times more per piece.
    let text = '';
    for (const family of families) text += `${family.header}${family.samples}`;
    return dialect === 'openmetrics' ? `${text}# EOF\n` : text;
  } finally {
    // What this render claimed keeps no family, and with it no samples, alive after it.
    for (const family of families) {
      for (const claim of family.claims) {
        claim.render = undefined;
        claim.family = undefined;
      }
    }
  }
}

const prometheus = (memo: ExpositionMemo, snapshots: Snapshot | readonly Snapshot[]) => render(memo, snapshots, 'prometheus');
const openMetrics = (memo: ExpositionMemo, snapshots: Snapshot | readonly Snapshot[]) => render(memo, snapshots, 'openmetrics');

export function toPrometheus(snapshots: Snapshot | readonly Snapshot[]): string {
  return expositionMemo.use(prometheus, snapshots);
}

export function toOpenMetrics(snapshots: Snapshot | readonly Snapshot[]): string {
  return expositionMemo.use(openMetrics, snapshots);
}
