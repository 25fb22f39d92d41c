import type { Panel } from '@grafana/schema';
import { catalogOf, type CatalogEntry } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { CATALOG, catalogEntry, PRESETS } from '../tools/catalog.js';
import { COMMAND, dashboards, generatedFiles } from './generate.js';
import { drillDownUrl, fleetOverview } from './fleet.js';
import { INFLUXQL } from './influxql.js';
import { describeField, titleOf } from './instance.js';
import { PROMQL } from './promql.js';
import { layout } from './panels.js';
import { LATENCY_OBJECTIVE, REQUEST_DURATION, leOf } from './slo.js';
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
      const help = (entry: CatalogEntry) => expect.stringMatching(new RegExp(`^${entry.help!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      const expected = presets.flatMap((name) => [
        { type: 'row', title: name },
        ...CATALOG.filter((entry) => entry.preset === name && (entry.type !== 'string' || keepsStrings)).flatMap((entry) =>
          entry.kind === 'histogram'
            ? [
                { type: 'timeseries', title: titleOf(entry, 'rate'), unit: 'cps', description: help(entry) },
                { type: 'heatmap', title: titleOf(entry, 'distribution'), unit: grafanaUnit(entry), description: help(entry) },
              ]
            : [
                {
                  type: entry.type === 'string' ? 'table' : 'timeseries',
                  title: titleOf(entry),
                  unit: entry.type === 'string' ? undefined : grafanaUnit(entry),
                  description: help(entry),
                },
              ],
        ),
      ]);
      const shown = panels.map(({ type, title, fieldConfig, options, description }) =>
        type === 'row'
          ? { type, title }
          : {
              type,
              title,
              unit: type === 'heatmap' ? (options?.['yAxis'] as { unit?: string }).unit : fieldConfig?.defaults.unit,
              description,
            },
      );
      expect(shown).toEqual(expected);
      expect(CATALOG.some((entry) => entry.kind === 'histogram')).toBe(true);
      expect(presets).toEqual(expect.arrayContaining([...Object.values(PRESETS).map((preset) => catalogOf(preset)[0]!.preset), 'push']));
    },
  );

  test("a panel's description says which runtimes measure the field, and how a counter and a histogram are shown", () => {
    expect(describeField(catalogEntry('fs_reads_total'))).toMatch(/ A counter: shown as its rate per second\.$/);
    expect(describeField(catalogEntry('gc_duration_seconds'))).toBe(
      'Pause of each garbage collection of this kind since the preset started, in seconds: its count is the collections, its sum their time. ' +
        'Measured on Node and Deno only. A histogram: shown as its observations per second and their distribution over its buckets.',
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

describe('the fleet overview, over the fleet', () => {
  const summed = (store: typeof INFLUXQL) => {
    const panels = fleetOverview(store).panels as Panel[];
    const row = panels.findIndex((panel) => panel.title === 'Requests and event-loop delay over the fleet');
    const end = panels.findIndex((panel, index) => index > row && panel.type === 'row');
    return panels.slice(row + 1, end);
  };

  test('shows requests, errors, the SLO and the distributions from summed buckets in both stores, quantiles where the language has them', () => {
    const both = ['Requests per second', 'Error ratio (5xx)', 'Requests within the threshold (SLO)'];
    const perRoute = ['Requests per second, per route', 'Error ratio (5xx), per route'];
    expect(summed(PROMQL).map((panel) => panel.title)).toEqual([
      ...both,
      'Request duration p99 and p50',
      'Request duration distribution',
      ...perRoute,
      'Request duration p99, per route',
      'Event-loop delay p99 and p50',
      'Event-loop delay distribution',
    ]);
    expect(summed(INFLUXQL).map((panel) => panel.title)).toEqual([
      ...both,
      'Request duration distribution',
      ...perRoute,
      'Event-loop delay distribution',
    ]);
    const quantiles = summed(PROMQL).find((panel) => panel.title === 'Request duration p99 and p50')!;
    expect(quantiles.targets!.map((target) => target['legendFormat'])).toEqual(['p99 fleet', 'p50 fleet', 'p99 {{app}}', 'p50 {{app}}']);
    expect(quantiles.targets![0]!['expr']).toMatch(
      /^histogram_quantile\(0\.99, sum by \(le\) \(rate\(\$\{measurement\}_http_request_duration_seconds_bucket\{/,
    );
    expect(
      summed(PROMQL)
        .filter((panel) => panel.type === 'heatmap')
        .map((panel) => panel.targets![0]!['format']),
    ).toEqual(['heatmap', 'heatmap']);
  });

  test.each([INFLUXQL, PROMQL])(
    "$name: the SLO panel's threshold is a variable of the request durations' bounds, the objective's by default",
    (store) => {
      const threshold = fleetOverview(store).templating!.list!.find((variable) => variable.name === 'threshold');
      expect(threshold).toMatchObject({ type: 'query', current: { value: leOf(REQUEST_DURATION, LATENCY_OBJECTIVE.threshold) } });
      expect(threshold!.current!.value).toBe('0.3');
    },
  );

  test('a threshold that is no bound of the buckets is refused, naming both', () => {
    expect(() => leOf(REQUEST_DURATION, 0.25)).toThrow(/^0\.25 is no bound of http_request_duration_seconds's buckets \(0\.0001, .*, 60\)/);
    expect(() => leOf(catalogEntry('rss_bytes'), 1)).toThrow('"rss_bytes" is a gauge, not a histogram: it has no buckets, count or sum');
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
