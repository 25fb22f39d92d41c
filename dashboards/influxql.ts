// InfluxQL for InfluxDB 1.x, as raw queries: every field is a field of the measurement `$measurement`,
// the lines of a series field told apart by the series' tags.
import type { CatalogEntry } from '@runometer/core';
import type { VariableModel } from '@grafana/schema';
import { FLEET_TAGS, INFLUX_GROUP_TAGS, INFLUX_INSTANCE_TAGS, PROCESS_TAGS } from './tags.js';
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

/** A gauge's mean per interval, or a counter's rate per second (its growth per interval, never negative: a restart starts it again from zero). */
function perInterval(entry: CatalogEntry, alias: string): string {
  const field = quoted(entry.key);
  const selection = entry.kind === 'counter' ? `non_negative_derivative(max(${field}), 1s)` : `mean(${field})`;
  return `${scaled(entry, selection)} AS ${quoted(alias)}`;
}

/** Who each series is in a legend: its app, whichever instance tag the path gave it, its worker and thread if any. */
const FLEET_ALIAS = ['$tag_app', INSTANCE_TAGS.map((tag) => `$tag_${tag}`).join(''), ...PROCESS_TAGS.map((tag) => `$tag_${tag}`)].join(' ');

function overTime(entry: CatalogEntry, scope: Scope, { sumOverSeries = false, named = false } = {}) {
  const seriesTags = entry.seriesTags ?? [];
  const instanceTags = (scope === 'fleet' ? INFLUX_GROUP_TAGS : PROCESS_TAGS).map(quoted);
  const groupBy = (tags: readonly string[]) => ['time($__interval)', ...tags].join(', ');
  let query: string;
  if (sumOverSeries && seriesTags.length > 0) {
    const inner = `SELECT ${perInterval(entry, 'rate')} ${FROM} ${where(scope)} GROUP BY ${groupBy([...instanceTags, ...seriesTags.map(quoted)])}`;
    query = `SELECT sum("rate") AS ${quoted(entry.key)} FROM (${inner}) WHERE $timeFilter GROUP BY ${groupBy(instanceTags)} fill(none)`;
  } else {
    const tags = [...instanceTags, ...(sumOverSeries ? [] : seriesTags.map(quoted))];
    query = `SELECT ${perInterval(entry, entry.key)} ${FROM} ${where(scope)} GROUP BY ${groupBy(tags)} fill(none)`;
  }
  const who =
    scope === 'fleet'
      ? FLEET_ALIAS
      : [seriesTags.map((tag) => `$tag_${tag}`).join(' ') || entry.key, ...PROCESS_TAGS.map((tag) => `$tag_${tag}`)].join(' ');
  const alias = named && scope === 'fleet' ? `${entry.key} ${who}` : who;
  return { datasource, query, rawQuery: true, resultFormat: 'time_series', alias };
}

function table(query: string) {
  return { datasource, query, rawQuery: true, resultFormat: 'table' };
}

function latest(entry: CatalogEntry, scope: Scope) {
  const groupBy = (scope === 'fleet' ? INFLUX_GROUP_TAGS : PROCESS_TAGS).map(quoted).join(', ');
  return table(`SELECT last(${quoted(entry.key)}) AS ${quoted(entry.key)} ${FROM} ${where(scope)} GROUP BY ${groupBy}`);
}

function worst(entry: CatalogEntry, alias: string) {
  if (entry.kind === 'counter') throw new Error(`"${entry.key}" is a counter: its greatest value over a range is its last`);
  return table(`SELECT max(${quoted(entry.key)}) AS ${quoted(alias)} ${FROM} ${where('fleet')} GROUP BY ${GROUP_BY_INSTANCE}`);
}

function worstRatio(numerator: CatalogEntry, denominator: CatalogEntry, alias: string) {
  const ratio = `${quoted(numerator.key)} / ${quoted(denominator.key)}`;
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
};
