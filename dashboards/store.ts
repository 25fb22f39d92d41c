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
   */
  overTime(entry: CatalogEntry, scope: Scope, options?: { sumOverSeries?: boolean; named?: boolean }): Omit<Target, 'refId'>;
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

/** A filter variable of many values where "All" matches lines without the tag too (`.*`). */
export function filterVariable(name: string, query: string, datasource: DataSourceRef, description: string): VariableModel {
  return {
    name,
    label: name,
    description,
    type: 'query',
    datasource,
    query,
    refresh: 2,
    includeAll: true,
    multi: true,
    allValue: '.*',
    current: { text: 'All', value: '$__all' },
    sort: 1,
    hide: 0,
  };
}

/** The one instance the drill-down shows. */
export function instanceVariable(query: string, datasource: DataSourceRef, description: string): VariableModel {
  return { name: 'instance', label: 'instance', description, type: 'query', datasource, query, refresh: 2, sort: 1, hide: 0 };
}
