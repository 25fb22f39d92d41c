// The instance drill-down: one instance, every field the presets emit, a row per preset.
import type { Dashboard, Panel } from '@grafana/schema';
import type { CatalogEntry } from '@runometer/core';
import { CATALOG, RUNTIME_GROUPS, measures } from '../tools/catalog.js';
import { dashboard, heatmap, latestTable, layout, timeSeries } from './panels.js';
import type { Store } from './store.js';
import { grafanaUnit, histogramRateUnit } from './units.js';

/** The field's help, when alone it is measured, and the runtimes that measure it (Node's lines by number where only some do). */
export function describeField(entry: CatalogEntry): string {
  const on = RUNTIME_GROUPS.flatMap(({ title, members }) => {
    const measuring = members.filter((runtime) => measures(runtime, entry.key));
    if (measuring.length === members.length) return [title];
    return measuring.length === 0 ? [] : [`${title} ${measuring.map((runtime) => runtime.replace(/^\D+/, '')).join(', ')}`];
  });
  const every = RUNTIME_GROUPS.every(({ members }) => members.every((runtime) => measures(runtime, entry.key)));
  const measured = every
    ? 'Measured on every runtime.'
    : on.length === 0
      ? 'Measured on no runtime.'
      : `Measured on ${on.join(' and ')} only.`;
  const shown = {
    gauge: '',
    counter: ' A counter: shown as its rate per second.',
    histogram: ' A histogram: shown as its observations per second and their distribution over its buckets.',
  }[entry.kind];
  return [`${entry.help ?? ''}${entry.when === undefined ? '' : ` Only when ${entry.when}.`}`, measured + shown].join(' ');
}

/** A field's panel's title; a histogram has two: its observations per second, and their distribution. */
export function titleOf(entry: CatalogEntry, histogramPanel?: 'rate' | 'distribution'): string {
  const name = entry.series === undefined ? entry.key : `${entry.series}: ${entry.key}`;
  if (entry.kind === 'histogram') return histogramPanel === 'distribution' ? `${name} distribution` : `${name} per second`;
  return entry.kind === 'counter' ? `${name} per second` : name;
}

/**
 * A field's panels: over time (a histogram: its observations per second, one line per series'
 * line, and their distribution), or a string field's last value per worker and thread where the
 * store keeps strings (none where it does not).
 */
function fieldPanels(store: Store, entry: CatalogEntry): { panel: Panel; width: number; height: number }[] {
  const description = describeField(entry);
  if (entry.kind === 'histogram') {
    const perSecond = timeSeries({
      title: titleOf(entry, 'rate'),
      description,
      unit: histogramRateUnit(entry, 'count'),
      targets: [store.overTime(entry, 'instance', { total: 'count' })],
    });
    const spread = heatmap({
      title: titleOf(entry, 'distribution'),
      description,
      unit: grafanaUnit(entry),
      targets: [store.distribution(entry, 'instance')],
    });
    return [perSecond, spread].map((panel) => ({ panel, width: 8, height: 7 }));
  }
  if (entry.type !== 'string') {
    return [
      {
        panel: timeSeries({ title: titleOf(entry), description, unit: grafanaUnit(entry), targets: [store.overTime(entry, 'instance')] }),
        width: 8,
        height: 7,
      },
    ];
  }
  const latest = store.latest(entry, 'instance');
  return latest === undefined
    ? []
    : [{ panel: latestTable({ title: titleOf(entry), description, targets: [latest] }), width: 8, height: 7 }];
}

export const instanceUid = (store: Store) => `runometer-instance-${store.name}`;

export function instanceDrillDown(store: Store): Dashboard {
  return dashboard({
    uid: instanceUid(store),
    title: `Runometer: instance (${store.title})`,
    description:
      "One instance, every field its presets emit (the four presets, a cluster's or a parent thread's counts of the last scrape, a pusher's health), a row per preset, " +
      "one line per worker and thread; each panel's description is the field's help.",
    variables: store.variables('instance'),
    panels: layout(
      [...new Set(CATALOG.map((entry) => entry.preset))].map((preset) => ({
        title: preset,
        panels: CATALOG.filter((entry) => entry.preset === preset).flatMap((entry) => fieldPanels(store, entry)),
      })),
    ),
  });
}
