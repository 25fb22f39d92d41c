// Grafana panels and their layout on its 24-column grid, typed by @grafana/schema.
import type { Dashboard, Panel, RowPanel, VariableModel } from '@grafana/schema';
import type { Target } from './store.js';

const GRID_WIDTH = 24;

export interface PanelSpec {
  title: string;
  description: string;
  unit: string;
  targets: Omit<Target, 'refId'>[];
}

/** A column of an instances table: its target's alias, what it shows, and where it turns orange then red. */
export interface Column {
  alias: string;
  name: string;
  unit: string;
  thresholds: readonly [number, number];
}

const refId = (index: number) => String.fromCharCode(65 + index);

function withRefIds(targets: readonly Omit<Target, 'refId'>[]): Target[] {
  return targets.map((target, index) => ({ refId: refId(index), ...target }) as Target);
}

export function timeSeries(spec: PanelSpec): Panel {
  return {
    type: 'timeseries',
    title: spec.title,
    description: spec.description,
    targets: withRefIds(spec.targets),
    fieldConfig: { defaults: { unit: spec.unit, custom: { lineWidth: 1, fillOpacity: 10, showPoints: 'never' } }, overrides: [] },
    options: {
      legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}

/**
 * A heatmap of a histogram's buckets over time, a row per bucket under its bound (`le`), as its
 * targets give them (not calculated by Grafana); the unit is the bounds'.
 */
export function heatmap(spec: PanelSpec): Panel {
  return {
    type: 'heatmap',
    title: spec.title,
    description: spec.description,
    targets: withRefIds(spec.targets),
    fieldConfig: { defaults: {}, overrides: [] },
    options: {
      calculate: false,
      rowsFrame: { layout: 'le' },
      yAxis: { axisPlacement: 'left', unit: spec.unit },
      color: { mode: 'scheme', scheme: 'Oranges', scale: 'exponential', exponent: 0.5, steps: 64 },
      cellValues: { unit: 'cps' },
      tooltip: { mode: 'single', yHistogram: true },
      legend: { show: true },
    },
  };
}

/** A table of the rows its targets give (a string field's last value per instance), without the time column. */
export function latestTable(spec: Omit<PanelSpec, 'unit'>): Panel {
  return {
    type: 'table',
    title: spec.title,
    description: spec.description,
    targets: withRefIds(spec.targets),
    transformations: [{ id: 'organize', options: { excludeByName: { Time: true } } }],
    fieldConfig: { defaults: {}, overrides: [] },
    options: { showHeader: true },
  };
}

/** Where a click on an instance's name leads: a dashboard's URL, to which `var-instance=<the name>` is added. */
export interface DrillDown {
  url: string;
  /** The columns that name an instance. */
  instanceColumns: readonly string[];
}

/**
 * A table with one row per instance: each target is an instant query of one column, merged on the
 * instance's tags; a column's cell turns orange then red past its thresholds, and the instance's
 * name links to its drill-down.
 */
export function instancesTable(
  spec: Omit<PanelSpec, 'unit'> & { columns: readonly Column[]; sortBy: string; drillDown: DrillDown },
): Panel {
  const targets = withRefIds(spec.targets);
  const link = {
    title: 'Drill down into ${__value.text}',
    url: `${spec.drillDown.url}&var-instance=\${__value.raw:percentencode}&\${__url_time_range}`,
  };
  const instanceOverrides = spec.drillDown.instanceColumns.map((name) => ({
    matcher: { id: 'byName', options: name },
    properties: [{ id: 'links', value: [link] }],
  }));
  const columnOverrides = spec.columns.map((column, index) => ({
    // Prometheus names an instant query's column "Value #<refId>"; InfluxDB names it after the field alias.
    matcher: { id: 'byRegexp', options: `^(Value #${targets[index]!.refId}|${column.alias})$` },
    properties: [
      { id: 'displayName', value: column.name },
      { id: 'unit', value: column.unit },
      { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
      {
        id: 'thresholds',
        value: {
          mode: 'absolute',
          steps: [
            { color: 'green', value: null },
            { color: 'orange', value: column.thresholds[0] },
            { color: 'red', value: column.thresholds[1] },
          ],
        },
      },
    ],
  }));
  return {
    type: 'table',
    title: spec.title,
    description: spec.description,
    targets,
    transformations: [
      { id: 'merge', options: {} },
      { id: 'organize', options: { excludeByName: { Time: true } } },
    ],
    fieldConfig: { defaults: {}, overrides: [...instanceOverrides, ...columnOverrides] },
    options: { showHeader: true, sortBy: [{ displayName: spec.sortBy, desc: true }] },
  };
}

/**
 * Panels laid out left to right, top to bottom, each row of the dashboard after its title; ids in
 * order. Rows are kept open, their panels after them at the top level, as Grafana saves them.
 */
export function layout(
  sections: readonly { title?: string; panels: readonly { panel: Panel; width: number; height: number }[] }[],
): (Panel | RowPanel)[] {
  const laidOut: (Panel | RowPanel)[] = [];
  let y = 0;
  let id = 1;
  for (const section of sections) {
    if (section.title !== undefined) {
      laidOut.push({
        type: 'row',
        title: section.title,
        collapsed: false,
        id: id++,
        panels: [],
        gridPos: { x: 0, y, w: GRID_WIDTH, h: 1 },
      });
      y += 1;
    }
    let x = 0;
    let rowHeight = 0;
    for (const { panel, width, height } of section.panels) {
      if (x + width > GRID_WIDTH) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      laidOut.push({ ...panel, id: id++, gridPos: { x, y, w: width, h: height } });
      x += width;
      rowHeight = Math.max(rowHeight, height);
    }
    y += rowHeight;
  }
  return laidOut;
}

/** The dashboard schema version the JSON follows; a newer Grafana migrates it on load. */
const SCHEMA_VERSION = 39;

export function dashboard(fields: {
  uid: string;
  title: string;
  description: string;
  variables: VariableModel[];
  panels: (Panel | RowPanel)[];
}): Dashboard {
  return {
    uid: fields.uid,
    title: fields.title,
    description: fields.description,
    tags: ['runometer'],
    editable: true,
    graphTooltip: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    timezone: 'browser',
    schemaVersion: SCHEMA_VERSION,
    links: [
      {
        title: 'Runometer',
        type: 'dashboards',
        tags: ['runometer'],
        asDropdown: true,
        includeVars: true,
        keepTime: true,
        icon: 'external link',
        targetBlank: false,
        tooltip: '',
        url: '',
      },
    ],
    templating: { list: fields.variables },
    annotations: { list: [] },
    panels: fields.panels,
  };
}
