// The instance drill-down: one instance, every field the presets emit, a row per preset.
import type { Dashboard, Panel } from '@grafana/schema';
import { catalogOf, type CatalogEntry } from '@runometer/core';
import { measures, PRESETS } from '../tools/catalog.js';
import { RUNTIMES } from '../tools/runtimes.js';
import { dashboard, layout, timeSeries } from './panels.js';
import type { Store } from './store.js';
import { grafanaUnit } from './units.js';

const RUNTIME_NAMES = { node: 'Node', bun: 'Bun', deno: 'Deno' } as const;

/** The field's help, when alone it is measured, and the runtimes that measure it. */
export function describeField(entry: CatalogEntry): string {
  const on = RUNTIMES.filter((runtime) => measures(runtime, entry.key)).map((runtime) => RUNTIME_NAMES[runtime]);
  const measured = on.length === RUNTIMES.length ? 'Measured on every runtime.' : on.length === 0 ? 'Measured on no runtime.' : `Measured on ${on.join(' and ')} only.`;
  const rate = entry.kind === 'counter' ? ' A counter: shown as its rate per second.' : '';
  return [`${entry.help ?? ''}${entry.when === undefined ? '' : ` Only when ${entry.when}.`}`, measured + rate].join(' ');
}

export function titleOf(entry: CatalogEntry): string {
  const name = entry.series === undefined ? entry.key : `${entry.series}: ${entry.key}`;
  return entry.kind === 'counter' ? `${name} per second` : name;
}

function fieldPanel(store: Store, entry: CatalogEntry): Panel {
  return timeSeries({ title: titleOf(entry), description: describeField(entry), unit: grafanaUnit(entry), targets: [store.overTime(entry, 'instance')] });
}

export const instanceUid = (store: Store) => `runometer-instance-${store.name}`;

export function instanceDrillDown(store: Store): Dashboard {
  return dashboard({
    uid: instanceUid(store),
    title: `Runometer: instance (${store.title})`,
    description: "One instance, every field the four presets emit, a row per preset; each panel's description is the field's help.",
    variables: store.variables('instance'),
    panels: layout(
      Object.entries(PRESETS).map(([name, preset]) => ({
        title: name,
        panels: catalogOf(preset).map((entry) => ({ panel: fieldPanel(store, entry), width: 8, height: 7 })),
      })),
    ),
  });
}
