// `npm run dashboards`: writes the dashboards' JSON from the field catalog. `dashboards.test.ts`
// fails when one is stale.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dashboard } from '@grafana/schema';
import { alertRules } from './alerts.js';
import { fleetOverview } from './fleet.js';
import { INFLUXQL } from './influxql.js';
import { instanceDrillDown } from './instance.js';
import { PROMQL } from './promql.js';
import { DEFAULT_MEASUREMENT } from './store.js';

export const COMMAND = 'npm run dashboards';
const root = fileURLToPath(new URL('..', import.meta.url));

/** Each dashboard, by its path from the repository's root: a folder per store. */
export function dashboards(): { path: string; dashboard: Dashboard }[] {
  return [INFLUXQL, PROMQL].flatMap((store) => [
    { path: `dashboards/${store.name}/fleet-overview.json`, dashboard: fleetOverview(store) },
    { path: `dashboards/${store.name}/instance.json`, dashboard: instanceDrillDown(store) },
  ]);
}

/** The SLO rules' file, for the demo's meter; another meter's are the same with its name for the prefix. */
export const SLO_RULES = 'docs/alerts/runometer-slo.rules.yml';

/** Each dashboard's file and the SLO rules': its text now (empty when missing), and what it should be. */
export function generatedFiles(): { path: string; now: string; generated: string }[] {
  return [
    ...dashboards().map(({ path, dashboard }) => ({ path, generated: `${JSON.stringify(dashboard, null, 2)}\n` })),
    { path: SLO_RULES, generated: alertRules(DEFAULT_MEASUREMENT) },
  ].map(({ path, generated }) => ({ path, now: existsSync(`${root}${path}`) ? readFileSync(`${root}${path}`, 'utf8') : '', generated }));
}

// Bun sets import.meta.main for the entry file: `bun --conditions=@runometer/source dashboards/generate.ts`.
if ((import.meta as ImportMeta & { main?: boolean }).main) {
  for (const { path, now, generated } of generatedFiles()) {
    if (now === generated) continue;
    mkdirSync(dirname(`${root}${path}`), { recursive: true });
    writeFileSync(`${root}${path}`, generated);
    console.log(`wrote ${path}`);
  }
}
