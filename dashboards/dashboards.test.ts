import type { Panel } from '@grafana/schema';
import { catalogOf } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { CATALOG, catalogEntry, PRESETS } from '../tools/catalog.js';
import { COMMAND, dashboards, generatedFiles } from './generate.js';
import { drillDownUrl, fleetOverview } from './fleet.js';
import { INFLUXQL } from './influxql.js';
import { describeField, titleOf } from './instance.js';
import { PROMQL } from './promql.js';
import { layout } from './panels.js';
import { grafanaUnit } from './units.js';

describe('the dashboards', () => {
  test.each(generatedFiles())('$path is up to date', ({ path, now, generated }) => {
    if (now !== generated) expect.fail(`${path} is stale: it differs from what the catalog generates; run \`${COMMAND}\``);
  });

  const drillDowns = dashboards().filter(({ path }) => path.endsWith('/instance.json'));
  test.each(drillDowns)(
    "$path has a row per preset and a panel per field, with its unit and its help (a string field's where the store keeps strings)",
    ({ path, dashboard }) => {
      const panels = (dashboard.panels ?? []) as Panel[];
      const presets = [...new Set(CATALOG.map((entry) => entry.preset))];
      expect(panels.filter((panel) => panel.type === 'row').map((panel) => panel.title)).toEqual(presets);
      const keepsStrings = path.startsWith('dashboards/influxdb/');
      const expected = presets.flatMap((name) => [
        { type: 'row', title: name },
        ...CATALOG.filter((entry) => entry.preset === name && (entry.type !== 'string' || keepsStrings)).map((entry) => ({
          type: entry.type === 'string' ? 'table' : 'timeseries',
          title: titleOf(entry),
          unit: entry.type === 'string' ? undefined : grafanaUnit(entry),
          description: expect.stringMatching(new RegExp(`^${entry.help!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)),
        })),
      ]);
      const shown = panels.map(({ type, title, fieldConfig, description }) =>
        type === 'row' ? { type, title } : { type, title, unit: fieldConfig?.defaults.unit, description },
      );
      expect(shown).toEqual(expected);
      expect(presets).toEqual(expect.arrayContaining([...Object.values(PRESETS).map((preset) => catalogOf(preset)[0]!.preset), 'push']));
    },
  );

  test("a panel's description says which runtimes measure the field, and that a counter is shown as its rate", () => {
    expect(describeField(catalogEntry('gc_count_total'))).toBe(
      'Garbage collections of this kind since the preset started. Measured on Node and Deno only. A counter: shown as its rate per second.',
    );
    expect(describeField(catalogEntry('constrained_memory_bytes'))).toBe(
      'Memory limit of the cgroup, in bytes; read at most every 10 s. Only when a cgroup memory limit is set. Measured on every runtime.',
    );
  });

  test.each(dashboards())('$path: every panel reads the data source variable, ids are unique', ({ dashboard }) => {
    const panels = (dashboard.panels ?? []) as Panel[];
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const target of panels.flatMap((panel) => panel.targets ?? []))
      expect(target['datasource']).toMatchObject({ uid: '${datasource}' });
  });
});

describe('the fleet overview', () => {
  const titles = (store: typeof INFLUXQL) => (fleetOverview(store).panels as Panel[]).map((panel) => panel.title);

  test('shows the partial scrapes of clusters and worker threads, each of the four counts named', () => {
    const panels = fleetOverview(PROMQL).panels as Panel[];
    const row = panels.findIndex((panel) => panel.title === 'Clusters and worker threads');
    expect(panels[row]!.type).toBe('row');
    const gathered = panels.slice(row + 1, row + 3);
    expect(
      gathered.map((panel) => [
        panel.title,
        panel.targets!.map((target) => /_(cluster_workers|worker_threads)_\w+/.exec(String(target['expr']))![0]),
      ]),
    ).toEqual([
      ['Partial scrapes: cluster workers', ['asked', 'answered', 'timed_out', 'died'].map((count) => `_cluster_workers_${count}`)],
      ['Partial scrapes: worker threads', ['asked', 'answered', 'timed_out', 'exited'].map((count) => `_worker_threads_${count}`)],
    ]);
  });

  test("shows the pushing processes' health; their last error where the store keeps strings", () => {
    const push = ['Pushing processes', 'Points pushed, dropped and refused', 'Push retries', 'Points waiting to be pushed'];
    expect(titles(INFLUXQL).slice(-5)).toEqual([...push, 'Last push error']);
    expect(titles(PROMQL).slice(-4)).toEqual(push);
    const table = (fleetOverview(INFLUXQL).panels as Panel[]).at(-1)!;
    expect(table.targets).toMatchObject([
      {
        query: expect.stringMatching(/^SELECT last\("push_last_error"\) AS "push_last_error" FROM "\$measurement" WHERE /),
        resultFormat: 'table',
      },
    ]);
  });

  test('a panel of several fields names each in its legend', () => {
    const pushed = (fleetOverview(PROMQL).panels as Panel[]).find((panel) => panel.title === 'Points pushed, dropped and refused')!;
    expect(pushed.targets!.map((target) => target['legendFormat'])).toEqual(
      ['push_points_sent_total', 'push_points_dropped_total', 'push_points_refused_total'].map(
        (key) => `${key} {{app}} {{instance}}{{url}} {{worker}} {{thread}}`,
      ),
    );
  });

  test("links an instance's name to its drill-down, with the data source and measurement it shows", () => {
    expect(drillDownUrl(INFLUXQL)).toBe('/d/runometer-instance-influxdb?var-datasource=${datasource}&var-measurement=${measurement}');
    expect(drillDownUrl(PROMQL)).toBe(
      '/d/runometer-instance-prometheus?var-datasource=${datasource}&var-measurement=${measurement}&var-instance_label=${instance_label}',
    );
    const table = fleetOverview(PROMQL).panels![0] as Panel;
    const linked = table
      .fieldConfig!.overrides.filter(({ properties }) => properties.some(({ id }) => id === 'links'))
      .map(({ matcher }) => matcher.options);
    expect(linked).toEqual(['instance', 'url']);
  });
});

describe('layout', () => {
  test('places panels left to right, wraps past 24 columns, and puts each titled section under a row', () => {
    const panel = (title: string) => ({ panel: { type: 'timeseries', title }, width: 10, height: 4 });
    const laidOut = layout([{ panels: [panel('a')] }, { title: 'r', panels: [panel('b'), panel('c'), panel('d')] }]);
    expect(laidOut.map(({ id, title, gridPos }) => ({ id, title, gridPos }))).toEqual([
      { id: 1, title: 'a', gridPos: { x: 0, y: 0, w: 10, h: 4 } },
      { id: 2, title: 'r', gridPos: { x: 0, y: 4, w: 24, h: 1 } },
      { id: 3, title: 'b', gridPos: { x: 0, y: 5, w: 10, h: 4 } },
      { id: 4, title: 'c', gridPos: { x: 10, y: 5, w: 10, h: 4 } },
      { id: 5, title: 'd', gridPos: { x: 0, y: 9, w: 10, h: 4 } },
    ]);
  });
});
