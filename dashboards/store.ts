// What a dashboard asks of a store's query language; `influxql.ts` and `promql.ts` answer it.
import type { CatalogEntry } from '@runometer/core';
import type { DataSourceRef, VariableModel } from '@grafana/schema';

/** A panel's query as Grafana stores it in `panels[].targets[]`. */
export type Target = { refId: string; datasource: DataSourceRef } & Record<string, unknown>;

/**
 * Where a query looks: every instance the fleet variables select, one series per instance; or the
 * one instance of the drill-down, one series per line (a series field's tags kept apart).
 */
export type Scope = 'fleet' | 'instance';

/** The samples a histogram writes besides its buckets: `<key>_count`, `<key>_sum`. */
export type HistogramTotal = 'count' | 'sum';

/**
 * The per-second rate of a histogram's count, or of one of its buckets (`le`), summed over the
 * fleet's lines whose tags have the values of `where` (a value may be a variable, `$threshold`).
 */
export interface Rate {
  readonly entry: CatalogEntry;
  readonly sample: 'count' | { readonly le: string };
  readonly where?: Readonly<Record<string, string>>;
}

/** How a summed query's lines are told apart: by these tags (none: the whole fleet is one line), its legend led by `name`. */
export interface Grouping {
  readonly by: readonly string[];
  readonly name: string;
}

export interface Store {
  /** The folder of its dashboards under dashboards/, and part of their uid. */
  readonly name: 'influxdb' | 'prometheus';
  /** The stores it serves, as the dashboards' titles say. */
  readonly title: string;
  /** The tags (labels) whose value names an instance, as the drill-down's `instance` variable takes it. */
  readonly instanceTags: readonly string[];
  /** The variables of a dashboard of the scope, the data source's first. */
  variables(scope: Scope): VariableModel[];
  /**
   * A field over time: a gauge as it is, a counter as its rate per second; each series field's line
   * apart unless `sumOverSeries`; the legend led by the field's key when `named` (a panel of several fields).
   * A histogram is shown by the rate of its count or of its sum (`total`), as a counter.
   */
  overTime(
    entry: CatalogEntry,
    scope: Scope,
    options?: { sumOverSeries?: boolean; named?: boolean; total?: HistogramTotal },
  ): Omit<Target, 'refId'>;
  /** A sum of rates over the fleet, per group: requests per second per app. */
  summedRate(rate: Rate, grouping: Grouping): Omit<Target, 'refId'>;
  /** The share `part / whole` of two sums of rates over the fleet, per group; 0 where `part` has no line and `whole` has. */
  shareOf(part: Rate, whole: Rate, grouping: Grouping): Omit<Target, 'refId'>;
  /** The `q`-quantile of a histogram from its buckets summed over the fleet, per group; undefined where the language has no such function. */
  quantile(entry: CatalogEntry, q: number, grouping: Grouping): Omit<Target, 'refId'> | undefined;
  /** A histogram's buckets, each one's rate summed over the scope's lines: a heatmap's rows, one per `le`, cumulative in InfluxQL. */
  distribution(entry: CatalogEntry, scope: Scope): Omit<Target, 'refId'>;
  /** A single-valued variable offering the bounds (`le`, `+Inf` aside) the store holds for a histogram of the fleet. */
  boundVariable(name: string, entry: CatalogEntry, description: string, current: string): VariableModel;
  /** A string field's last value, one row per instance (drill-down: per worker and thread); undefined where the store keeps no strings. */
  latest(entry: CatalogEntry, scope: Scope): Omit<Target, 'refId'> | undefined;
  /** One row per instance with the gauge's greatest value over the dashboard's time range, as the column `alias` where the store names columns. */
  worst(entry: CatalogEntry, alias: string): Omit<Target, 'refId'>;
  /** One row per instance with the greatest `numerator / denominator` over the dashboard's time range. */
  worstRatio(numerator: CatalogEntry, denominator: CatalogEntry, alias: string): Omit<Target, 'refId'>;
}

/** The data source variable every dashboard starts with: its panels read `${datasource}`. */
export function datasourceVariable(pluginId: string, label: string): VariableModel {
  return { name: 'datasource', label, type: 'datasource', query: pluginId, refresh: 1, hide: 0 };
}

export function datasourceOf(pluginId: string): DataSourceRef {
  return { type: pluginId, uid: '${datasource}' };
}

/** The `measurement` variable: each app names its meter (`new Runometer(name)`); the demo's is the default. */
export const DEFAULT_MEASUREMENT = 'runometer_demo';

export function measurementVariable(): VariableModel {
  return {
    name: 'measurement',
    label: 'measurement',
    description: "The meter's name (new Runometer(name)): the InfluxDB measurement, the prefix of the Prometheus names.",
    type: 'textbox',
    query: DEFAULT_MEASUREMENT,
    current: { text: DEFAULT_MEASUREMENT, value: DEFAULT_MEASUREMENT },
    hide: 0,
  };
}

/** What every variable whose values a query of the store gives begins with. */
function queryVariable(name: string, query: string, datasource: DataSourceRef, description: string) {
  return { name, label: name, description, type: 'query', datasource, query } satisfies VariableModel;
}

/** A filter variable of many values where "All" matches lines without the tag too (`.*`). */
export function filterVariable(name: string, query: string, datasource: DataSourceRef, description: string): VariableModel {
  return {
    ...queryVariable(name, query, datasource, description),
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { text: 'All', value: '$__all' },
    sort: 1,
    hide: 0,
  };
}

/** A variable of one histogram's bucket bounds (every `le` but `+Inf`, in numeric order), `current` chosen. */
export function boundsVariable(
  name: string,
  query: string,
  datasource: DataSourceRef,
  description: string,
  current: string,
): VariableModel {
  return {
    ...queryVariable(name, query, datasource, description),
    regex: '/^\\d/',
    sort: 3,
    current: { text: current, value: current },
    refresh: 2,
    hide: 0,
  };
}

/** The one instance the drill-down shows. */
export function instanceVariable(query: string, datasource: DataSourceRef, description: string): VariableModel {
  return { ...queryVariable('instance', query, datasource, description), refresh: 2, sort: 1, hide: 0 };
}

/** `entry`, which a query of its buckets, count or sum reads: refused, by name, when it is no histogram. */
export function histogramOf(entry: CatalogEntry): CatalogEntry {
  if (entry.kind !== 'histogram') throw new Error(`"${entry.key}" is a ${entry.kind}, not a histogram: it has no buckets, count or sum`);
  return entry;
}

/** The name a query reads for a field: a histogram's count or sum by its sample's suffix, any other field by its key. */
export function sampleKey(entry: CatalogEntry, total: HistogramTotal | undefined): string {
  if (entry.kind !== 'histogram') {
    if (total !== undefined) throw new Error(`"${entry.key}" is a ${entry.kind}: it has no ${total}`);
    return entry.key;
  }
  if (total === undefined)
    throw new Error(`"${entry.key}" is a histogram: show the rate of its count or its sum, its distribution, or its quantiles`);
  return `${entry.key}_${total}`;
}

/** `entry`, whose greatest value over a range a table shows: refused, by name, when it is no gauge. */
export function gaugeOf(entry: CatalogEntry): CatalogEntry {
  if (entry.kind === 'counter') throw new Error(`"${entry.key}" is a counter: its greatest value over a range is its last`);
  if (entry.kind === 'histogram') throw new Error(`"${entry.key}" is a histogram: its greatest value is a quantile of its buckets`);
  return entry;
}
