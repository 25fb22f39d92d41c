// PromQL for Prometheus and VictoriaMetrics. A field is the metric `<measurement>_<key>`, whether
// Prometheus scraped the Prometheus or OpenMetrics format (a counter's key ends in `_total`, which
// the formats keep once) or Telegraf pushed line protocol to VictoriaMetrics (`measurement_field`).
import type { CatalogEntry } from '@runometer/core';
import type { VariableModel } from '@grafana/schema';
import { catalogEntry } from '../tools/catalog.js';
import { FLEET_TAGS, PROCESS_TAGS, PROMETHEUS_GROUP_LABELS, PROMETHEUS_INSTANCE_LABELS } from './tags.js';
import { scaleOf } from './units.js';
import {
  datasourceOf,
  datasourceVariable,
  filterVariable,
  instanceVariable,
  measurementVariable,
  type Scope,
  type Store,
} from './store.js';

const datasource = datasourceOf('prometheus');

/** The metric whose labels the variables list: a field every runtime measures. */
const ANCHOR = catalogEntry('uptime_seconds');

export function metric(entry: CatalogEntry): string {
  return `\${measurement}_${entry.key}`;
}

function selector(scope: Scope): string {
  if (scope === 'instance')
    return `{app=~"$app",\${instance_label}="$instance",${PROCESS_TAGS.map((tag) => `${tag}=~"$${tag}"`).join(',')}}`;
  const filters = Object.keys(FLEET_TAGS).map((tag) => `${tag}=~"$${tag}"`);
  return `{${[...filters, '${instance_label}=~"$instance"'].join(',')}}`;
}

const labelsOf = (labels: readonly string[]) => labels.map((label) => `{{${label}}}`);

/** Who each series is in a legend: its app, whichever of `instance` and `url` the path gave it, its worker and thread if any. */
const FLEET_LEGEND = ['{{app}}', labelsOf(Object.keys(PROMETHEUS_INSTANCE_LABELS)).join(''), ...labelsOf(PROCESS_TAGS)].join(' ');

function scaled(entry: CatalogEntry, expr: string): string {
  const scale = scaleOf(entry);
  return scale === 1 ? expr : `${expr} * ${scale}`;
}

function overTime(entry: CatalogEntry, scope: Scope, { sumOverSeries = false, named = false } = {}) {
  const sample = `${metric(entry)}${selector(scope)}`;
  let expr = entry.kind === 'counter' ? `rate(${sample}[$__rate_interval])` : sample;
  const seriesTags = entry.seriesTags ?? [];
  if (sumOverSeries && seriesTags.length > 0) expr = `sum without (${seriesTags.join(', ')}) (${expr})`;
  const who = scope === 'fleet' ? FLEET_LEGEND : [labelsOf(seriesTags).join(' ') || entry.key, ...labelsOf(PROCESS_TAGS)].join(' ');
  const legend = named && scope === 'fleet' ? `${entry.key} ${who}` : who;
  return { datasource, expr: scaled(entry, expr), legendFormat: legend, range: true, instant: false, format: 'time_series' };
}

/** The Prometheus formats carry no string field, and VictoriaMetrics keeps none from line protocol. */
const latest = () => undefined;

const byInstance = `by (${PROMETHEUS_GROUP_LABELS.join(', ')})`;

function table(expr: string) {
  return { datasource, expr, range: false, instant: true, format: 'table' };
}

function worst(entry: CatalogEntry) {
  if (entry.kind === 'counter') throw new Error(`"${entry.key}" is a counter: its greatest value over a range is its last`);
  return table(`max ${byInstance} (max_over_time(${metric(entry)}${selector('fleet')}[$__range]))`);
}

function worstRatio(numerator: CatalogEntry, denominator: CatalogEntry) {
  const ratio = `${metric(numerator)}${selector('fleet')} / ${metric(denominator)}${selector('fleet')}`;
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
};
