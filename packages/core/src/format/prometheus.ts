import { leLabels, type HistogramValue } from '../model/histogram.js';
import type { FieldSample, Point, Snapshot } from '../model/snapshot.js';
import { expositionMemo, withFamilies, type ExpositionMemo, type Family, type FamilyWriter } from './exposition-families.js';

// Prometheus text exposition 0.0.4 and OpenMetrics 1.0 from one snapshot or several (see
// exposition-families.ts for the names and families they share with the protobuf exposition);
// counters are `…_total`.

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

/** A family's sample lines, in order: the same in both dialects. */
const sampleLines: FamilyWriter<string> = {
  empty: () => '',
  add(family: Family<string>, pointLabels: string, _point: Point, sample: FieldSample): void {
    const { sampleName } = family.names;
    const { spec } = sample;
    family.samples +=
      spec.buckets === undefined
        ? `${sampleName}${pointLabels} ${sampleValue(sample)}\n`
        : histogramSamples(sampleName, pointLabels, spec.buckets, sample.value as HistogramValue);
  },
};

// A rope, flattened once when it is written: V8's `join` costs several times more per piece.
const prometheus = (memo: ExpositionMemo, snapshots: Snapshot | readonly Snapshot[]) =>
  withFamilies(memo, snapshots, sampleLines, (families) => {
    let text = '';
    for (const { names, samples } of families) text += `${names.prometheusHeader}${samples}`;
    return text;
  });

const openMetrics = (memo: ExpositionMemo, snapshots: Snapshot | readonly Snapshot[]) =>
  withFamilies(memo, snapshots, sampleLines, (families) => {
    let text = '';
    for (const { names, samples } of families) text += `${names.openMetricsHeader}${samples}`;
    return `${text}# EOF\n`;
  });

export function toPrometheus(snapshots: Snapshot | readonly Snapshot[]): string {
  return expositionMemo.use(prometheus, snapshots);
}

export function toOpenMetrics(snapshots: Snapshot | readonly Snapshot[]): string {
  return expositionMemo.use(openMetrics, snapshots);
}
