import type { FieldKind } from '../model/field-types.js';
import { labelName, metricName, namesOfMetric } from '../model/prometheus-names.js';
import { RenderMemo } from '../model/render-memo.js';
import { isFixed, snapshotsOf, type FieldSample, type FieldSpec, type Point, type Snapshot, type Tag } from '../model/snapshot.js';

// What the Prometheus expositions (text 0.0.4, OpenMetrics, protobuf) share: each field is a
// metric family named <measurement>_<field>, each point's tags its labels, and the samples of one
// family, from every point and every snapshot, are served together under one TYPE. Each format
// says only what a family's samples become. String fields have no place in any of them.

const LABEL_VALUE_SPECIALS = /[\\"\n]/;
const HELP_SPECIALS = /[\\\n]/;

/** A family of a render: the field's names, and what the format has made of its samples so far. */
export interface Family<Samples> {
  readonly names: FieldNames;
  samples: Samples;
  /** The label sets it has served, when several snapshots may repeat one. */
  served: Set<string> | undefined;
}

/**
 * One metric name, and the family that took it in the render under way. Every name a family
 * takes in any format is claimed, so that the samples of one field, of every point and every
 * snapshot, are served together under one TYPE; a render finds a name's family without a table of its own.
 */
interface NameClaim {
  render: object | undefined;
  family: Family<unknown> | undefined;
}

/** What a field of a measurement is called in the Prometheus formats. */
export interface FieldNames {
  readonly key: string;
  readonly kind: FieldKind;
  readonly help: string | undefined;
  /** Its help as given, or `<key> of <measurement>`: unescaped, as the protobuf exposition writes it. */
  readonly helpText: string;
  /** Its family's name (a counter's without `_total`) and its samples' name: one name for a gauge, the family's for a histogram. */
  readonly familyClaim: NameClaim;
  readonly sampleClaim: NameClaim;
  /** Every name it takes, once each: a histogram's `_bucket`, `_sum` and `_count` too. */
  readonly claims: readonly NameClaim[];
  /** Its samples' name, which text 0.0.4 and the protobuf exposition name its family (a counter's with `_total`). */
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
export class ExpositionMemo {
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

export const expositionMemo = new RenderMemo(() => new ExpositionMemo());

function header(name: string, kind: FieldKind, help: string): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${kind}\n`;
}

function fieldNames(memo: ExpositionMemo, spec: FieldSpec, measurement: string): FieldNames {
  const names = namesOfMetric(metricName(`${measurement}_${spec.key}`), spec.kind);
  const familyName = names[0]!;
  // A histogram's samples are named by adding a suffix to its family's name.
  const sampleName = spec.kind === 'histogram' ? familyName : names[names.length - 1]!;
  const helpText = spec.help ?? `${spec.key} of ${measurement}`;
  const escapedHelp = HELP_SPECIALS.test(helpText) ? helpText.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : helpText;
  const familyClaim = memo.claimOf(familyName);
  const sampleClaim = memo.claimOf(sampleName);
  return {
    key: spec.key,
    kind: spec.kind,
    help: spec.help,
    helpText,
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

/** A point's labels as the text formats write them, `{a="1",b="2"}` (or nothing): also what tells two label sets apart. */
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

/** What a format makes of a family's samples: its first (empty) form, and how a sample is added to it. */
export interface FamilyWriter<Samples> {
  empty(): Samples;
  /** Adds `sample` of `point`, whose labels are written `pointLabels` in the text formats, to `family`. */
  add(family: Family<Samples>, pointLabels: string, point: Point, sample: FieldSample): void;
}

/**
 * The family a field's samples join in the render `render`, created the first time one of its
 * names is met, or undefined when the field is left out. Registration keeps the names of one
 * meter apart; two snapshots may still bring fields whose names collide with another kind (meter
 * `a` with a counter `b_x`, meter `a_b` with a gauge `x`): the first wins, in every format alike.
 */
function familyOf<Samples>(
  names: FieldNames,
  render: object,
  families: Family<Samples>[],
  writer: FamilyWriter<Samples>,
): Family<Samples> | undefined {
  const { sampleClaim } = names;
  if (sampleClaim.render === render) {
    const family = sampleClaim.family as Family<Samples>;
    return family.names.kind === names.kind ? family : undefined;
  }
  // A gauge's one name is free; a counter's or a histogram's other names may be another field's.
  for (const claim of names.claims) if (claim.render === render) return undefined;
  const family: Family<Samples> = { names, samples: writer.empty(), served: undefined };
  families.push(family);
  for (const claim of names.claims) {
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

/**
 * The families of `collected`, in the order their first sample came, each with what `writer` made
 * of its samples, given to `write`, whose result this returns. The families are only valid inside it.
 */
export function withFamilies<Samples, Result>(
  memo: ExpositionMemo,
  collected: Snapshot | readonly Snapshot[],
  writer: FamilyWriter<Samples>,
  write: (families: readonly Family<Samples>[]) => Result,
): Result {
  const snapshots = snapshotsOf(collected);
  memo.forgetWhenFull();
  const thisRender = {};
  const families: Family<Samples>[] = [];
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
          const family = familyOf(namesOf(memo, spec, measurement, ofMeasurement, ordinal++), thisRender, families, writer);
          if (family === undefined) continue;
          if (mayRepeat) {
            const served = (family.served ??= new Set());
            if (served.has(pointLabels)) continue;
            served.add(pointLabels);
          }
          writer.add(family, pointLabels, point, sample);
        }
      }
    }
    return write(families);
  } finally {
    // What this render claimed keeps no family, and with it no samples, alive after it.
    for (const family of families) {
      for (const claim of family.names.claims) {
        claim.render = undefined;
        claim.family = undefined;
      }
    }
  }
}
