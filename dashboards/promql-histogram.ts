// The PromQL shapes of a histogram, whichever way Prometheus stored it. Prometheus without
// `--enable-feature=native-histograms` (and VictoriaMetrics) stores a classic histogram: a
// `<name>_bucket` series per bound, `<name>_sum` and `<name>_count`. Prometheus 2.42 with the flag
// stores a histogram that has native buckets (preset-http's request durations, preset-threads'
// event-loop delay) as one native series `<name>` alone, which `histogram_quantile`,
// `histogram_count`, `histogram_sum` and `histogram_fraction` read (all four are in 2.42). Each
// shape is the classic form `or` the native one: the one that has series answers.
//
// VictoriaMetrics 1.79 refuses `histogram_count`, `histogram_sum` and `histogram_fraction` ("unknown
// func"), so only the quantile's union can go in the Grafana dashboards, which VictoriaMetrics
// reads too; the alert rules, which only Prometheus evaluates, take every shape.

/** A histogram's series: its name (the classic series' names add a suffix), the label matchers that select them, the rate's window. */
export interface HistogramSeries {
  readonly name: string;
  readonly matchers: readonly string[];
  readonly window: string;
}

const selected = (name: string, matchers: readonly string[]) => (matchers.length === 0 ? name : `${name}{${matchers.join(',')}}`);

const classicRate = ({ name, matchers, window }: HistogramSeries, suffix: 'bucket' | 'count', more: readonly string[] = []) =>
  `rate(${selected(`${name}_${suffix}`, [...matchers, ...more])}[${window}])`;

const nativeRate = ({ name, matchers, window }: HistogramSeries) => `rate(${selected(name, matchers)}[${window}])`;

export const sumBy = (by: readonly string[], expr: string): string =>
  by.length === 0 ? `sum(${expr})` : `sum by (${by.join(', ')}) (${expr})`;

/**
 * The `q`-quantile of the histogram summed per group (`by`): from the classic buckets summed per
 * group and `le`, or else from the native series summed per group. A group whose lines are of both
 * forms (a fleet some of whose targets serve no native buckets) is read from its classic lines alone.
 */
export function histogramQuantile(q: number, histogram: HistogramSeries, by: readonly string[]): string {
  return (
    `histogram_quantile(${q}, ${sumBy([...by, 'le'], classicRate(histogram, 'bucket'))}) or ` +
    `histogram_quantile(${q}, ${sumBy(by, nativeRate(histogram))})`
  );
}

/**
 * Per line, the observations per second: the rate of `_count`, or else `histogram_count` of the
 * native series' rate. The union is per line, so a sum over lines of both forms counts them all.
 */
export function countRate(histogram: HistogramSeries): string {
  return `(${classicRate(histogram, 'count')} or histogram_count(${nativeRate(histogram)}))`;
}

/**
 * Per line, the observations per second at most `le` (a bound of the classic layout, as its `le`
 * label writes it): the rate of that `_bucket` (its `le` label summed away, so that the line's labels
 * are the native line's), or else the native series' `histogram_fraction` up to it times its
 * count. A native line without observations in the window (whose fraction is NaN) is left out.
 * The native share is interpolated inside the native bucket the bound falls in (schema 3: within
 * 9.05% of the bound), where the classic one is counted.
 */
export function countAtMost(histogram: HistogramSeries, le: string): string {
  const native = nativeRate(histogram);
  return (
    `(sum without (le) (${classicRate(histogram, 'bucket', [`le="${le}"`])}) or ` +
    `histogram_fraction(-Inf, ${le}, ${native}) * (histogram_count(${native}) > 0))`
  );
}
