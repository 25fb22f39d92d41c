import type { HistogramValue } from '../model/histogram.js';
import type { NativeBuckets, NativeLayout } from '../model/native-histogram.js';
import { labelName } from '../model/prometheus-names.js';
import { type FieldSample, type Point, type Snapshot, type Tag } from '../model/snapshot.js';
import { RenderMemo } from '../model/render-memo.js';
import {
  expositionMemo,
  withFamilies,
  type ExpositionMemo,
  type Family,
  type FamilyWriter,
  type FieldNames,
} from './exposition-families.js';
import { ProtobufWriter } from './protobuf-writer.js';

// The Prometheus protobuf exposition: `MetricFamily` messages, each after its length ("delimited"),
// as io/prometheus/client/metrics.proto (client_model 0.3, what Prometheus 2.42 reads) defines them.
// The same families, names and labels as the text format 0.0.4 (exposition-families.ts); a
// histogram carries its classic buckets and, when its field declares a native layout, its native
// buckets in the same message. Prometheus asks for this format only with native histograms enabled.

/** metrics.proto's MetricType of each kind. */
const TYPES = { counter: 0, gauge: 1, histogram: 4 } as const;

// Field numbers of metrics.proto's messages.
const FAMILY = { name: 1, help: 2, type: 3, metric: 4 } as const;
const METRIC = { label: 1, gauge: 2, counter: 3, histogram: 7 } as const;
const LABEL = { name: 1, value: 2 } as const;
const VALUE = 1; // Gauge.value, Counter.value
/** A Gauge or Counter message's size: its one double, with its key. */
const VALUE_MESSAGE_BYTES = 9;
const HISTOGRAM = {
  sampleCount: 1,
  sampleSum: 2,
  bucket: 3,
  schema: 5,
  zeroThreshold: 6,
  zeroCount: 7,
  positiveSpan: 12,
  positiveDelta: 13,
} as const;
const BUCKET = { cumulativeCount: 1, upperBound: 2 } as const;
const SPAN = { offset: 1, length: 2 } as const;

/**
 * A run of zero buckets this long or shorter stays inside a span, as client_golang does: a span
 * costs two numbers more, a zero bucket one delta.
 */
const LONGEST_GAP_IN_SPAN = 2;

interface MetricSample {
  /** The point's labels as the text formats write them: which label set it is. */
  readonly pointLabels: string;
  readonly point: Point;
  readonly sample: FieldSample;
}

const metricSamples: FamilyWriter<MetricSample[]> = {
  empty: () => [],
  add(family: Family<MetricSample[]>, pointLabels: string, point: Point, sample: FieldSample): void {
    family.samples.push({ pointLabels, point, sample });
  },
};

function number({ value }: FieldSample): number {
  return typeof value === 'boolean' ? (value ? 1 : 0) : Number(value);
}

/** The dense runs of `counts` worth a span each: `[start, end)` pairs of indexes, into `spans`. */
function spansOf(counts: ArrayLike<number>, spans: number[]): void {
  spans.length = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    const end = spans.length === 0 ? -Infinity : spans[spans.length - 1]!;
    if (i - end <= LONGEST_GAP_IN_SPAN) spans[spans.length - 1] = i + 1;
    else spans.push(i, i + 1);
  }
}

/**
 * What a render writes with, kept for the next: the writer's buffer, the spans of a histogram, and
 * the parts that are the same at every render, encoded once: a family's name, help and type, and
 * the label pairs of a label set, by its text (a cluster's workers send new tag lists at every
 * render, of the same label sets), forgotten all at once when there are too many to keep.
 */
interface Scratch {
  readonly writer: ProtobufWriter;
  readonly spans: number[];
  readonly familyHeaders: WeakMap<FieldNames, Uint8Array>;
  labelPairs: Map<string, Uint8Array>;
}

const MAX_CACHED_LABEL_SETS = 100_000;

function familyHeader({ familyHeaders }: Scratch, names: FieldNames): Uint8Array {
  let bytes = familyHeaders.get(names);
  if (bytes === undefined) {
    bytes = new ProtobufWriter()
      .string(FAMILY.name, names.sampleName)
      .string(FAMILY.help, names.helpText)
      .uint(FAMILY.type, TYPES[names.kind])
      .finish();
    familyHeaders.set(names, bytes);
  }
  return bytes;
}

function labelPairs(scratch: Scratch, pointLabels: string, tags: readonly Tag[]): Uint8Array {
  let bytes = scratch.labelPairs.get(pointLabels);
  if (bytes === undefined) {
    const writer = new ProtobufWriter();
    for (const { key, value } of tags) writer.open(METRIC.label).string(LABEL.name, labelName(key)).string(LABEL.value, value).close();
    bytes = writer.finish();
    if (scratch.labelPairs.size >= MAX_CACHED_LABEL_SETS) scratch.labelPairs = new Map();
    scratch.labelPairs.set(pointLabels, bytes);
  }
  return bytes;
}

function writeNative(
  { writer, spans }: Scratch,
  { schema, zeroThreshold }: NativeLayout,
  { zeroCount, offset, counts }: NativeBuckets,
): void {
  writer.sint(HISTOGRAM.schema, schema).double(HISTOGRAM.zeroThreshold, zeroThreshold).uint(HISTOGRAM.zeroCount, zeroCount);
  spansOf(counts, spans);
  // No bucket yet: a span of none says the histogram is native all the same (metrics.proto asks for it).
  if (spans.length === 0) writer.open(HISTOGRAM.positiveSpan).sint(SPAN.offset, 0).uint(SPAN.length, 0).close();
  let previousEnd = offset;
  for (let i = 0; i < spans.length; i += 2) {
    const start = spans[i]! + offset;
    const end = spans[i + 1]! + offset;
    writer
      .open(HISTOGRAM.positiveSpan)
      .sint(SPAN.offset, i === 0 ? start : start - previousEnd)
      .uint(SPAN.length, end - start)
      .close();
    previousEnd = end;
  }
  // Each bucket's count as the change from the bucket before it (of any span), unpacked as proto2 declares it.
  let previous = 0;
  for (let i = 0; i < spans.length; i += 2) {
    for (let j = spans[i]!; j < spans[i + 1]!; j++) {
      writer.sint(HISTOGRAM.positiveDelta, counts[j]! - previous);
      previous = counts[j]!;
    }
  }
}

function writeHistogram(scratch: Scratch, bounds: readonly number[], native: NativeLayout | undefined, value: HistogramValue): void {
  const { writer } = scratch;
  writer.open(METRIC.histogram);
  let cumulative = 0;
  // The +Inf bucket is left out, as metrics.proto allows: it is the count.
  for (let i = 0; i < bounds.length; i++) {
    cumulative += value.counts[i]!;
    writer.open(HISTOGRAM.bucket).uint(BUCKET.cumulativeCount, cumulative).double(BUCKET.upperBound, bounds[i]!).close();
  }
  cumulative += value.counts[bounds.length]!;
  writer.uint(HISTOGRAM.sampleCount, cumulative).double(HISTOGRAM.sampleSum, value.sum);
  if (native !== undefined && value.native !== undefined) writeNative(scratch, native, value.native);
  writer.close();
}

function writeMetric(scratch: Scratch, { pointLabels, point, sample }: MetricSample): void {
  const { writer } = scratch;
  const labels = labelPairs(scratch, pointLabels, point.tags);
  const { spec } = sample;
  if (spec.buckets !== undefined) {
    writer.open(FAMILY.metric).raw(labels);
    writeHistogram(scratch, spec.buckets, spec.native, sample.value as HistogramValue);
    writer.close();
    return;
  }
  // A gauge's or counter's message has a known size: written in place, not opened and moved.
  writer
    .sized(FAMILY.metric, labels.length + 2 + VALUE_MESSAGE_BYTES)
    .raw(labels)
    .sized(spec.kind === 'counter' ? METRIC.counter : METRIC.gauge, VALUE_MESSAGE_BYTES)
    .double(VALUE, number(sample));
}

const scratchMemo = new RenderMemo<Scratch>(() => ({
  writer: new ProtobufWriter(),
  spans: [],
  familyHeaders: new WeakMap(),
  labelPairs: new Map(),
}));

const protobuf = (scratch: Scratch, snapshots: Snapshot | readonly Snapshot[]) =>
  expositionMemo.use((memo: ExpositionMemo) =>
    withFamilies(memo, snapshots, metricSamples, (families) => {
      const { writer } = scratch;
      writer.reset();
      for (const { names, samples } of families) {
        writer.delimited(() => {
          writer.raw(familyHeader(scratch, names));
          for (const sample of samples) writeMetric(scratch, sample);
        });
      }
      return writer.finish();
    }),
  );

/** The Prometheus protobuf exposition (delimited `MetricFamily` messages), with native histograms where a field declares them. */
export function toPrometheusProtobuf(snapshots: Snapshot | readonly Snapshot[]): Uint8Array<ArrayBuffer> {
  return scratchMemo.use(protobuf, snapshots);
}
