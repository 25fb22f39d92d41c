// A promtool-like lint of a Prometheus text (0.0.4) or OpenMetrics body: what makes Prometheus
// drop a scrape or mix two families up, or a histogram_quantile go wrong. Not a full parser: a
// sample's timestamp and exemplar are not read.

/** The sample names each type of family owns (OpenMetrics 1.0, and Prometheus text 0.0.4 where it differs). */
const OPENMETRICS_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: ['_total', '_created'],
  gauge: [''],
  histogram: ['_bucket', '_count', '_sum', '_created'],
  gaugehistogram: ['_bucket', '_gcount', '_gsum'],
  summary: ['', '_count', '_sum', '_created'],
  info: ['_info'],
  stateset: [''],
  unknown: [''],
};
const TEXT_SUFFIXES: Readonly<Record<string, readonly string[]>> = {
  counter: [''],
  gauge: [''],
  histogram: ['_bucket', '_count', '_sum'],
  summary: ['', '_count', '_sum'],
  untyped: [''],
};

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?\s+(\S+)(?:\s+\S+)?$/;
const VALUE = /^[+-]?(?:Inf|NaN|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(,|$)/y;

/** The labels of `{a="1",b="2"}` in a canonical order, or undefined when they do not parse. */
function canonicalLabels(braces: string | undefined): string | undefined {
  if (braces === undefined) return '';
  const inner = braces.slice(1, -1);
  const labels: string[] = [];
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < inner.length) {
    const at = LABEL.lastIndex;
    const match = LABEL.exec(inner);
    if (match === null || LABEL.lastIndex === at) return undefined;
    labels.push(`${match[1]}="${match[2]}"`);
    if (match[3] === '') break;
  }
  if (LABEL.lastIndex !== inner.length && inner.trim() !== '') return undefined;
  const names = labels.map((label) => label.slice(0, label.indexOf('=')));
  if (new Set(names).size !== names.length) return undefined;
  return labels.sort().join(',');
}

/** One histogram's label set (its labels but `le`), as its samples are read: where its buckets are, and what they counted. */
interface HistogramSeries {
  readonly name: string;
  readonly labels: string;
  /** The line of its first bucket, for the findings about the whole series. */
  readonly line: string;
  le: number;
  count: number;
  infinity: number | undefined;
  total: number | undefined;
}

const LE = /(?:^|,)le="([^"]*)"/;

/**
 * What Prometheus and OpenMetrics require of a histogram's series (labels but `le`): buckets in
 * increasing `le`, counts that never decrease, a `+Inf` bucket, and a `_count` equal to it.
 */
class HistogramChecks {
  private readonly series = new Map<string, HistogramSeries>();

  constructor(private readonly findings: string[]) {}

  bucket(where: string, name: string, labels: string, value: number): void {
    const le = LE.exec(labels);
    const bound = le === null ? Number.NaN : Number(le[1] === '+Inf' ? Infinity : le[1]);
    if (le === null || le[1] === '' || Number.isNaN(bound)) {
      this.findings.push(`${where}: bucket of ${name} without a numeric le`);
      return;
    }
    const rest = labels.replace(LE, '').replace(/^,/, '');
    const id = `${name}{${rest}}`;
    let series = this.series.get(id);
    if (series === undefined) {
      series = { name, labels: rest, line: where, le: -Infinity, count: 0, infinity: undefined, total: undefined };
      this.series.set(id, series);
    }
    if (bound <= series.le)
      this.findings.push(`${where}: bucket le="${le[1]}" of ${id} after a bucket of le ${series.le}: buckets go in increasing le`);
    if (value < series.count)
      this.findings.push(`${where}: bucket le="${le[1]}" of ${id} counts ${value}, less than the bucket before it (${series.count})`);
    series.le = Math.max(series.le, bound);
    series.count = Math.max(series.count, value);
    if (bound === Infinity) series.infinity = value;
  }

  count(name: string, labels: string, value: number): void {
    const series = this.series.get(`${name}{${labels}}`);
    if (series !== undefined) series.total = value;
  }

  end(): void {
    for (const [id, series] of this.series) {
      if (series.infinity === undefined) this.findings.push(`${series.line}: ${id} has no le="+Inf" bucket`);
      else if (series.total !== undefined && series.total !== series.infinity) {
        this.findings.push(`${series.line}: ${id} has a _count of ${series.total}, not its +Inf bucket's ${series.infinity}`);
      }
    }
  }
}

/**
 * Findings on a Prometheus or OpenMetrics body: metadata given twice, families that claim one
 * sample name, samples given twice, lines that do not parse, histograms whose buckets do not add up.
 */
export function lintPrometheus(body: string, openMetrics: boolean): string[] {
  const suffixes = openMetrics ? OPENMETRICS_SUFFIXES : TEXT_SUFFIXES;
  const findings: string[] = [];
  const metadata = new Set<string>();
  const owner = new Map<string, string>();
  const histograms = new Set<string>();
  const histogramChecks = new HistogramChecks(findings);
  const samples = new Set<string>();
  const lines = body.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line === '# EOF') {
      if (!openMetrics) findings.push(`${where}: "# EOF" in a Prometheus text body`);
      else if (index !== lines.length - 1) findings.push(`${where}: "# EOF" before the end of the body`);
      return;
    }
    const comment = /^# (TYPE|HELP|UNIT) (\S+)(?: (.*))?$/.exec(line);
    if (comment !== null) {
      const [, kind, family, rest = ''] = comment as unknown as [string, string, string, string?];
      if (!NAME.test(family)) findings.push(`${where}: "${family}" is not a metric name`);
      if (metadata.has(`${kind} ${family}`)) findings.push(`${where}: ${kind} of "${family}" given twice`);
      metadata.add(`${kind} ${family}`);
      if (kind !== 'TYPE') return;
      const owned = suffixes[rest];
      if (owned === undefined) {
        findings.push(`${where}: "${rest}" is not a metric type`);
        return;
      }
      for (const suffix of owned) {
        const name = family + suffix;
        const other = owner.get(name);
        if (other !== undefined && other !== family)
          findings.push(`${where}: families "${other}" and "${family}" both name samples "${name}"`);
        owner.set(name, family);
      }
      if (rest === 'histogram') histograms.add(family);
      return;
    }
    if (line === '' && !openMetrics) return;
    if (line.startsWith('#')) {
      if (openMetrics) findings.push(`${where}: OpenMetrics allows no other comment: ${JSON.stringify(line)}`);
      return;
    }
    const sample = SAMPLE.exec(line);
    const labels = sample === null ? undefined : canonicalLabels(sample[2]);
    if (sample === null || labels === undefined) {
      findings.push(`${where} is not a sample: ${JSON.stringify(line)}`);
      return;
    }
    if (!VALUE.test(sample[3]!)) findings.push(`${where}: ${JSON.stringify(sample[3])} is not a sample value`);
    const id = `${sample[1]}{${labels}}`;
    if (samples.has(id)) findings.push(`${where}: sample ${id} given twice`);
    samples.add(id);
    const family = owner.get(sample[1]!);
    if (family !== undefined && histograms.has(family)) {
      const value = Number(sample[3]);
      if (sample[1] === `${family}_bucket`) histogramChecks.bucket(where, family, labels, value);
      else if (sample[1] === `${family}_count`) histogramChecks.count(family, labels, value);
    }
  });
  histogramChecks.end();
  if (openMetrics && lines.at(-1) !== '# EOF') findings.push('the OpenMetrics body does not end with "# EOF"');
  return findings;
}

function assertLintless(body: string, openMetrics: boolean): void {
  const findings = lintPrometheus(body, openMetrics);
  if (findings.length > 0) throw new Error(`not a valid ${openMetrics ? 'OpenMetrics' : 'Prometheus text'} body:\n${findings.join('\n')}`);
}

/** Throws unless `body` is a valid Prometheus text (0.0.4) body, listing what `lintPrometheus` found. */
export function assertValidPrometheus(body: string): void {
  assertLintless(body, false);
}

/** Throws unless `body` is a valid OpenMetrics body, listing what `lintPrometheus` found. */
export function assertValidOpenMetrics(body: string): void {
  assertLintless(body, true);
}
