// InfluxQL for InfluxDB 1.x, as raw queries: every field is a field of the measurement `$measurement`,
// the lines of a series field told apart by the series' tags.
import type { CatalogEntry } from '@runometer/core';
import type { VariableModel } from '@grafana/schema';
import { FLEET_TAGS, INFLUX_GROUP_TAGS, INFLUX_INSTANCE_TAGS, PROCESS_TAGS } from './tags.js';
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
  type Grouping,
  type HistogramTotal,
  type Rate,
  type Scope,
  type Store,
} from './store.js';

const datasource = datasourceOf('influxdb');
const FROM = 'FROM "$measurement"';
const quoted = (name: string) => `"${name}"`;

const INSTANCE_TAGS = Object.keys(INFLUX_INSTANCE_TAGS);

/** The instance the `instance` variable names, by whichever of its tags the path gave it (`url` or `instance`). */
function instanceIs(operator: '=' | '=~'): string {
  const value = operator === '=' ? "'$instance'" : '/^$instance$/';
  return `(${INSTANCE_TAGS.map((tag) => `${quoted(tag)} ${operator} ${value}`).join(' OR ')})`;
}

const matches = (tag: string) => `${quoted(tag)} =~ /^$${tag}$/`;

function where(scope: Scope): string {
  if (scope === 'instance')
    return `WHERE $timeFilter AND ${matches('app')} AND ${instanceIs('=')} AND ${PROCESS_TAGS.map(matches).join(' AND ')}`;
  return `WHERE $timeFilter AND ${Object.keys(FLEET_TAGS).map(matches).join(' AND ')} AND ${instanceIs('=~')}`;
}

const GROUP_BY_INSTANCE = INFLUX_GROUP_TAGS.map(quoted).join(', ');

function scaled(entry: CatalogEntry, selection: string): string {
  const scale = scaleOf(entry);
  return scale === 1 ? selection : `${selection} * ${scale}`;
}

/**
 * A gauge's mean per interval, or a counter's (a histogram's count's or sum's) rate per second: its
 * growth per interval, never negative (a restart starts it again from zero).
 */
function perInterval(entry: CatalogEntry, total: HistogramTotal | undefined, alias: string): string {
  const field = quoted(sampleKey(entry, total));
  const selection = entry.kind === 'gauge' ? `mean(${field})` : `non_negative_derivative(max(${field}), 1s)`;
  return `${scaled(entry, selection)} AS ${quoted(alias)}`;
}

const groupBy = (tags: readonly string[]) => ['time($__interval)', ...tags].join(', ');

/** Who each series is in a legend: its app, whichever instance tag the path gave it, its worker and thread if any. */
const FLEET_ALIAS = ['$tag_app', INSTANCE_TAGS.map((tag) => `$tag_${tag}`).join(''), ...PROCESS_TAGS.map((tag) => `$tag_${tag}`)].join(' ');

function overTime(
  entry: CatalogEntry,
  scope: Scope,
  { sumOverSeries = false, named = false, total = undefined as HistogramTotal | undefined } = {},
) {
  const seriesTags = entry.seriesTags ?? [];
  const instanceTags = (scope === 'fleet' ? INFLUX_GROUP_TAGS : PROCESS_TAGS).map(quoted);
  const key = sampleKey(entry, total);
  let query: string;
  if (sumOverSeries && seriesTags.length > 0) {
    const inner = `SELECT ${perInterval(entry, total, 'rate')} ${FROM} ${where(scope)} GROUP BY ${groupBy([...instanceTags, ...seriesTags.map(quoted)])}`;
    query = `SELECT sum("rate") AS ${quoted(key)} FROM (${inner}) WHERE $timeFilter GROUP BY ${groupBy(instanceTags)} fill(none)`;
  } else {
    const tags = [...instanceTags, ...(sumOverSeries ? [] : seriesTags.map(quoted))];
    query = `SELECT ${perInterval(entry, total, key)} ${FROM} ${where(scope)} GROUP BY ${groupBy(tags)} fill(none)`;
  }
  const who =
    scope === 'fleet'
      ? FLEET_ALIAS
      : [seriesTags.map((tag) => `$tag_${tag}`).join(' ') || entry.key, ...PROCESS_TAGS.map((tag) => `$tag_${tag}`)].join(' ');
  const alias = named && scope === 'fleet' ? `${key} ${who}` : who;
  return { datasource, query, rawQuery: true, resultFormat: 'time_series', alias };
}

/**
 * The rate per second of `field` on each line of the scope (of those whose tags have the values of
 * `only`), apart by `tags` too: what a sum over lines reads, as a subquery.
 */
function ratePerLine(
  field: string,
  entry: CatalogEntry,
  scope: Scope,
  alias: string,
  only: Readonly<Record<string, string>>,
  tags: readonly string[],
) {
  const filters = Object.entries(only).map(([tag, value]) => ` AND ${quoted(tag)} = '${value}'`);
  const lines = [...(scope === 'fleet' ? INFLUX_GROUP_TAGS : PROCESS_TAGS), ...(entry.seriesTags ?? []), ...tags].map(quoted);
  return `SELECT non_negative_derivative(max(${quoted(field)}), 1s) AS ${quoted(alias)} ${FROM} ${where(scope)}${filters.join('')} GROUP BY ${groupBy(lines)}`;
}

function rateOf({ entry, sample, where: only = {} }: Rate, alias: string): string {
  const key = histogramOf(entry).key;
  return sample === 'count'
    ? ratePerLine(`${key}_count`, entry, 'fleet', alias, only, [])
    : ratePerLine(`${key}_bucket`, entry, 'fleet', alias, { ...only, le: sample.le }, []);
}

const overTimeOf = (query: string, { by, name }: Grouping) => ({
  datasource,
  query,
  rawQuery: true,
  resultFormat: 'time_series',
  alias: [name, ...by.map((tag) => `$tag_${tag}`)].filter((part) => part !== '').join(' '),
});

function summedRate(rate: Rate, grouping: Grouping) {
  const query = `SELECT sum("rate") AS "rate" FROM (${rateOf(rate, 'rate')}) WHERE $timeFilter GROUP BY ${groupBy(grouping.by.map(quoted))} fill(none)`;
  return overTimeOf(query, grouping);
}

function shareOf(part: Rate, whole: Rate, grouping: Grouping) {
  const query =
    `SELECT sum("part") / sum("whole") AS "share" FROM (${rateOf(part, 'part')}), (${rateOf(whole, 'whole')}) ` +
    `WHERE $timeFilter GROUP BY ${groupBy(grouping.by.map(quoted))} fill(none)`;
  return overTimeOf(query, grouping);
}

/** InfluxQL has no quantile of buckets: the dashboards show their distribution instead. */
const quantile = () => undefined;

/** Each bucket's rate summed over the scope's lines, one series per `le`: cumulative, as InfluxQL cannot subtract one series from another. */
function distribution(entry: CatalogEntry, scope: Scope) {
  const inner = ratePerLine(`${histogramOf(entry).key}_bucket`, entry, scope, 'rate', {}, ['le']);
  const query = `SELECT sum("rate") AS "rate" FROM (${inner}) WHERE $timeFilter GROUP BY ${groupBy([quoted('le')])} fill(none)`;
  return { ...overTimeOf(query, { by: ['le'], name: '' }), alias: '$tag_le' };
}

function boundVariable(name: string, entry: CatalogEntry, description: string, current: string): VariableModel {
  // The lines of the histogram's series carry its tags; a histogram of the meter's own line shares `le` with any other such one.
  const ofSeries = (histogramOf(entry).seriesTags ?? []).map((tag) => `${quoted(tag)} =~ /.+/`);
  const query = `SHOW TAG VALUES ${FROM} WITH KEY = "le"${ofSeries.length === 0 ? '' : ` WHERE ${ofSeries.join(' AND ')}`}`;
  return boundsVariable(name, query, datasource, description, current);
}

function table(query: string) {
  return { datasource, query, rawQuery: true, resultFormat: 'table' };
}

function latest(entry: CatalogEntry, scope: Scope) {
  const groupBy = (scope === 'fleet' ? INFLUX_GROUP_TAGS : PROCESS_TAGS).map(quoted).join(', ');
  return table(`SELECT last(${quoted(entry.key)}) AS ${quoted(entry.key)} ${FROM} ${where(scope)} GROUP BY ${groupBy}`);
}

function worst(entry: CatalogEntry, alias: string) {
  return table(`SELECT max(${quoted(gaugeOf(entry).key)}) AS ${quoted(alias)} ${FROM} ${where('fleet')} GROUP BY ${GROUP_BY_INSTANCE}`);
}

function worstRatio(numerator: CatalogEntry, denominator: CatalogEntry, alias: string) {
  const ratio = `${quoted(gaugeOf(numerator).key)} / ${quoted(gaugeOf(denominator).key)}`;
  const inner = `SELECT ${ratio} AS "ratio" ${FROM} ${where('fleet')} GROUP BY ${GROUP_BY_INSTANCE}`;
  return table(`SELECT max("ratio") AS ${quoted(alias)} FROM (${inner}) GROUP BY ${GROUP_BY_INSTANCE}`);
}

function variables(scope: Scope): VariableModel[] {
  const head = [datasourceVariable('influxdb', 'InfluxDB'), measurementVariable()];
  const tagValues = (tag: string, filters: readonly string[]) =>
    `SHOW TAG VALUES ${FROM} WITH KEY = ${quoted(tag)}${filters.length === 0 ? '' : ` WHERE ${filters.join(' AND ')}`}`;
  const instances = (filters: readonly string[]) =>
    `SHOW TAG VALUES ${FROM} WITH KEY IN (${INSTANCE_TAGS.map(quoted).join(', ')})${filters.length === 0 ? '' : ` WHERE ${filters.join(' AND ')}`}`;
  const instancesAre = `The ${scope === 'fleet' ? 'instances' : 'instance'} shown, by ${Object.entries(INFLUX_INSTANCE_TAGS)
    .map(([tag, path]) => `${tag} where ${path}`)
    .join(', or ')}.`;
  if (scope === 'instance') {
    const processFilters = [`${quoted('app')} =~ /^$app$/`, instanceIs('=')];
    return [
      ...head,
      filterVariable('app', tagValues('app', []), datasource, FLEET_TAGS.app),
      instanceVariable(instances(['"app" =~ /^$app$/']), datasource, instancesAre),
      ...PROCESS_TAGS.map((tag) => filterVariable(tag, tagValues(tag, processFilters), datasource, FLEET_TAGS[tag])),
    ];
  }
  const filters: string[] = [];
  const tagVariables = Object.entries(FLEET_TAGS).map(([tag, description]) => {
    const variable = filterVariable(tag, tagValues(tag, filters), datasource, description);
    filters.push(matches(tag));
    return variable;
  });
  return [...head, ...tagVariables, filterVariable('instance', instances(filters), datasource, instancesAre)];
}

export const INFLUXQL: Store = {
  name: 'influxdb',
  title: 'InfluxDB 1.x',
  instanceTags: INSTANCE_TAGS,
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
