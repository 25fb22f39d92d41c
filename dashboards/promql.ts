// PromQL for Prometheus and VictoriaMetrics. A field is the metric `<measurement>_<key>`, whether
// Prometheus scraped the Prometheus or OpenMetrics format (a counter's key ends in `_total`, which
// the formats keep once) or Telegraf pushed line protocol to VictoriaMetrics (`measurement_field`).
import type { CatalogEntry } from '@runometer/core';
import type { VariableModel } from '@grafana/schema';
import { catalogEntry } from '../tools/catalog.js';
import { FLEET_TAGS, PROCESS_TAGS, PROMETHEUS_GROUP_LABELS, PROMETHEUS_INSTANCE_LABELS } from './tags.js';
import { histogramQuantile, sumBy } from './promql-histogram.js';
import { scaleOf } from './units.js';
import {
  datasourceOf,
  datasourceVariable,
  boundsVariable,
  filterVariable,
  instanceVariable,
  gaugeOf,
  histogramOf,
  measurementVariable,
  sampleKey,
  type HistogramTotal,
  type Grouping,
  type Rate,
  type Scope,
  type Store,
} from './store.js';

const datasource = datasourceOf('prometheus');

/** The metric whose labels the variables list: a field every runtime measures. */
const ANCHOR = catalogEntry('uptime_seconds');

export function metric(entry: CatalogEntry): string {
  return `\${measurement}_${entry.key}`;
}

/** The label matchers of the lines of the scope, and of those only the ones whose tags have the values of `where`. */
function matchersOf(scope: Scope, where: Readonly<Record<string, string>> = {}): string[] {
  const only = Object.entries(where).map(([tag, value]) => `${tag}="${value}"`);
  if (scope === 'instance')
    return ['app=~"$app"', '${instance_label}="$instance"', ...PROCESS_TAGS.map((tag) => `${tag}=~"$${tag}"`), ...only];
  const filters = Object.keys(FLEET_TAGS).map((tag) => `${tag}=~"$${tag}"`);
  return [...filters, '${instance_label}=~"$instance"', ...only];
}

const selector = (scope: Scope, where: Readonly<Record<string, string>> = {}) => `{${matchersOf(scope, where).join(',')}}`;

const labelsOf = (labels: readonly string[]) => labels.map((label) => `{{${label}}}`);

/** Who each series is in a legend: its app, whichever of `instance` and `url` the path gave it, its worker and thread if any. */
const FLEET_LEGEND = ['{{app}}', labelsOf(Object.keys(PROMETHEUS_INSTANCE_LABELS)).join(''), ...labelsOf(PROCESS_TAGS)].join(' ');

function scaled(entry: CatalogEntry, expr: string): string {
  const scale = scaleOf(entry);
  return scale === 1 ? expr : `${expr} * ${scale}`;
}

function overTime(
  entry: CatalogEntry,
  scope: Scope,
  { sumOverSeries = false, named = false, total = undefined as HistogramTotal | undefined } = {},
) {
  const sample = `\${measurement}_${sampleKey(entry, total)}${selector(scope)}`;
  let expr = entry.kind === 'gauge' ? sample : `rate(${sample}${RATE_WINDOW})`;
  const seriesTags = entry.seriesTags ?? [];
  if (sumOverSeries && seriesTags.length > 0) expr = `sum without (${seriesTags.join(', ')}) (${expr})`;
  const who = scope === 'fleet' ? FLEET_LEGEND : [labelsOf(seriesTags).join(' ') || entry.key, ...labelsOf(PROCESS_TAGS)].join(' ');
  const legend = named && scope === 'fleet' ? `${sampleKey(entry, total)} ${who}` : who;
  return { datasource, expr: scaled(entry, expr), legendFormat: legend, range: true, instant: false, format: 'time_series' };
}

const RATE_INTERVAL = '$__rate_interval';
const RATE_WINDOW = `[${RATE_INTERVAL}]`;

function rateOf({ entry, sample, where = {} }: Rate): string {
  const name = `${metric(histogramOf(entry))}_${sample === 'count' ? 'count' : 'bucket'}`;
  return `rate(${name}${selector('fleet', sample === 'count' ? where : { ...where, le: sample.le })}${RATE_WINDOW})`;
}

const overTimeOf = (expr: string, { by, name }: Grouping) => ({
  datasource,
  expr,
  legendFormat: [name, ...labelsOf(by)].filter((part) => part !== '').join(' '),
  range: true,
  instant: false,
  format: 'time_series',
});

function summedRate(rate: Rate, grouping: Grouping) {
  return overTimeOf(sumBy(grouping.by, rateOf(rate)), grouping);
}

function shareOf(part: Rate, whole: Rate, grouping: Grouping) {
  const total = sumBy(grouping.by, rateOf(whole));
  // A group without a line of `part` (no 5xx yet) has none of it: 0, where `whole` has lines.
  return overTimeOf(`(${sumBy(grouping.by, rateOf(part))} or ${total} * 0) / ${total}`, grouping);
}

const bucketRates = (entry: CatalogEntry, scope: Scope) => `rate(${metric(histogramOf(entry))}_bucket${selector(scope)}${RATE_WINDOW})`;

/** From the classic buckets or the native series, whichever Prometheus stored (promql-histogram.ts). */
function quantile(entry: CatalogEntry, q: number, grouping: Grouping) {
  const histogram = { name: metric(histogramOf(entry)), matchers: matchersOf('fleet'), window: RATE_INTERVAL };
  return overTimeOf(histogramQuantile(q, histogram, grouping.by), grouping);
}

/** Grafana's Prometheus data source turns the cumulative buckets of `format: 'heatmap'` into each bucket's own count. */
function distribution(entry: CatalogEntry, scope: Scope) {
  return { ...overTimeOf(sumBy(['le'], bucketRates(entry, scope)), { by: ['le'], name: '' }), legendFormat: '{{le}}', format: 'heatmap' };
}

function boundVariable(name: string, entry: CatalogEntry, description: string, current: string): VariableModel {
  return boundsVariable(name, `label_values(${metric(histogramOf(entry))}_bucket, le)`, datasource, description, current);
}

/** The Prometheus formats carry no string field, and VictoriaMetrics keeps none from line protocol. */
const latest = () => undefined;

const byInstance = `by (${PROMETHEUS_GROUP_LABELS.join(', ')})`;

function table(expr: string) {
  return { datasource, expr, range: false, instant: true, format: 'table' };
}

function worst(entry: CatalogEntry) {
  return table(`max ${byInstance} (max_over_time(${metric(gaugeOf(entry))}${selector('fleet')}[$__range]))`);
}

function worstRatio(numerator: CatalogEntry, denominator: CatalogEntry) {
  const ratio = `${metric(gaugeOf(numerator))}${selector('fleet')} / ${metric(gaugeOf(denominator))}${selector('fleet')}`;
  return table(`max ${byInstance} (max_over_time((${ratio})[$__range:$__interval]))`);
}

function variables(scope: Scope): VariableModel[] {
  const anchor = metric(ANCHOR);
  const instanceLabel: VariableModel = {
    name: 'instance_label',
    label: 'instance label',
    description: Object.entries(PROMETHEUS_INSTANCE_LABELS)
      .map(([label, path]) => `${label}: ${path}`)
      .join('; '),
    type: 'custom',
    query: Object.keys(PROMETHEUS_INSTANCE_LABELS).join(','),
    current: { text: 'instance', value: 'instance' },
    hide: 0,
  };
  const head = [datasourceVariable('prometheus', 'Prometheus or VictoriaMetrics'), measurementVariable(), instanceLabel];
  if (scope === 'instance') {
    return [
      ...head,
      filterVariable('app', `label_values(${anchor}, app)`, datasource, FLEET_TAGS.app),
      instanceVariable(
        `label_values(${anchor}{app=~"$app"}, \${instance_label})`,
        datasource,
        'The instance shown: its instance or url label.',
      ),
      ...PROCESS_TAGS.map((tag) =>
        filterVariable(tag, `label_values(${anchor}{app=~"$app",\${instance_label}="$instance"}, ${tag})`, datasource, FLEET_TAGS[tag]),
      ),
    ];
  }
  const filters: string[] = [];
  const tagVariables = Object.entries(FLEET_TAGS).map(([tag, description]) => {
    const variable = filterVariable(
      tag,
      `label_values(${anchor}${filters.length === 0 ? '' : `{${filters.join(',')}}`}, ${tag})`,
      datasource,
      description,
    );
    filters.push(`${tag}=~"$${tag}"`);
    return variable;
  });
  const instance = filterVariable(
    'instance',
    `label_values(${anchor}{${filters.join(',')}}, \${instance_label})`,
    datasource,
    'The instances shown.',
  );
  return [...head, ...tagVariables, instance];
}

export const PROMQL: Store = {
  name: 'prometheus',
  title: 'Prometheus, VictoriaMetrics',
  instanceTags: Object.keys(PROMETHEUS_INSTANCE_LABELS),
  variables,
  overTime,
  latest,
  worst,
  worstRatio,
  summedRate,
  shareOf,
  quantile,
  distribution,
  boundVariable,
};
