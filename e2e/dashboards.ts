// Runs every query of every panel of Grafana dashboards against the fleet's stores, as Grafana
// would, and tells per query which instances returned data and which the field catalog expects.
//
// What a dashboard must be for it (the standard model): `panels[]`, rows' `panels` included, each
// with `targets[]`; a target is PromQL (`expr`), run on Prometheus, VictoriaMetrics scraping and
// VictoriaMetrics fed line protocol, or raw InfluxQL (`query`, `rawQuery: true`), run on InfluxDB.
// Variables (`templating.list[]`) take their options from the store as Grafana would (InfluxQL
// `SHOW TAG VALUES …`, PromQL `label_values(…)`; custom, constant, textbox, interval), "All" where
// offered. The fields a target reads are parsed out of it (InfluxQL: the SELECT clause; PromQL:
// `<measurement>_<field>`), or declared on it, which Grafana ignores:
// `"runometer": { "fields": ["rss_bytes", "space_used_bytes{space=old_space}"] }`.
// A series is an instance's by its `instance` label (scrapes, or the tag of a process that pushes)
// or `url` tag (Telegraf); where a variable lists the instances, a target that uses it is run once
// per instance. Expected: data for an instance whose lines carry the presets of every field read
// and whose runtime measures them (none with a `when`), none for one that has none of them;
// anything between is left unasserted.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG, catalogEntry, measures } from '../tools/catalog.js';
import { knownRuntime } from '../test/runtimes.js';
import {
  applyVariableRegex,
  builtInVariables,
  grafanaInterval,
  influxqlFields,
  interpolate,
  parseLabelValues,
  promqlMetricNames,
  variableQuery,
  variablesIn,
  type DataSourceKind,
  type GrafanaVariable,
  type Selection,
} from '../tools/grafana.js';
import { DATABASE, MEASUREMENT, SCRAPE_INTERVAL, type Fleet, type FleetInstance } from './fleet.js';
import type { PromQLClient, PromSeries } from './promql.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * A panel's query. `runometer.fields` (ignored by Grafana) names the catalog fields the query reads
 * where reading them out of the query would be fragile (a `__name__` regex, say).
 */
export interface Target {
  refId?: string;
  expr?: string;
  query?: string;
  rawQuery?: boolean;
  instant?: boolean;
  /** How a series is named: PromQL's `legendFormat`, InfluxQL's `alias`. */
  legendFormat?: string;
  alias?: string;
  runometer?: { fields?: string[] };
}

interface Panel {
  title?: string;
  type?: string;
  interval?: string;
  maxDataPoints?: number;
  panels?: Panel[];
  targets?: Target[];
}

export interface Dashboard {
  /** Its path from the repository's root. */
  readonly file: string;
  readonly title: string;
  readonly panels: Panel[];
  readonly variables: GrafanaVariable[];
}

/** Every dashboard (a JSON file with `panels`, or an export's `{ dashboard }`) under `dir`, folders included, by path. */
export function readDashboards(dir: string): Dashboard[] {
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((name) => name.endsWith('.json')).sort();
  return files.flatMap((name) => {
    const path = join(dir, name);
    if (!statSync(path).isFile()) return [];
    let json: { dashboard?: unknown; panels?: unknown };
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new Error(`${relative(root, path)} is not JSON: ${(error as Error).message}`);
    }
    const model = (json.dashboard ?? json) as { title?: string; panels?: Panel[]; templating?: { list?: GrafanaVariable[] } };
    if (!Array.isArray(model.panels)) return [];
    return [{ file: relative(root, path), title: model.title ?? name, panels: model.panels, variables: model.templating?.list ?? [] }];
  });
}

/** A dashboard's panels with targets, rows' nested panels included, each named by its title. */
export function panelsWithTargets(panels: readonly Panel[]): { panel: Panel; title: string }[] {
  return panels.flatMap((panel) => [
    ...((panel.targets?.length ?? 0) > 0 ? [{ panel, title: panel.title ?? `(untitled ${panel.type ?? 'panel'})` }] : []),
    ...panelsWithTargets(panel.panels ?? []),
  ]);
}

/** A store, the path into it, and how to ask it. */
export interface Store {
  readonly name: string;
  readonly kind: DataSourceKind;
  /** The label a custom variable that offers it is set to on this path (the PromQL dashboards' `instance_label`). */
  readonly identityLabel: 'url' | 'instance';
  /** The value that names the instance on this path; undefined for an instance that does not reach the store this way. */
  readonly identity: (instance: FleetInstance) => string | undefined;
  readonly promql?: PromQLClient;
  readonly influxql?: (query: string) => Promise<{ tags: Record<string, string>; rows: unknown[][] }[]>;
}

/**
 * The fleet's stores, one per path: InfluxQL dashboards run against InfluxDB (Telegraf's writes and
 * the pusher's, told apart by `url` and `instance`), PromQL ones against the others. VictoriaMetrics
 * fed line protocol is two paths: Telegraf's writes, named by `url`, and the pusher's, by `instance`.
 */
export function fleetStores({ stores }: Fleet): Store[] {
  const url = (instance: FleetInstance) => instance.url;
  const target = (instance: FleetInstance) => instance.target;
  return [
    {
      name: "InfluxDB 1.6 (Telegraf-like writes and the pusher's)",
      kind: 'influxdb',
      identityLabel: 'url',
      identity: (instance) => instance.url ?? instance.pushedAs,
      async influxql(query) {
        const results = await stores.influxdb.query(DATABASE, query);
        const failed = results.find((result) => result.error !== undefined);
        if (failed) throw new Error(failed.error);
        return results
          .flatMap((result) => result.series ?? [])
          .map((series) => ({
            tags: series.tags ?? {},
            rows: series.values.map((row) => row.filter((_, i) => series.columns[i] !== 'time')),
          }));
      },
    },
    { name: 'Prometheus 2.42 (scrape)', kind: 'prometheus', identityLabel: 'instance', identity: target, promql: stores.prometheus },
    { name: 'VictoriaMetrics (scrape)', kind: 'prometheus', identityLabel: 'instance', identity: target, promql: stores.victoriaScrape },
    {
      name: 'VictoriaMetrics (line protocol pushed to /write)',
      kind: 'prometheus',
      identityLabel: 'url',
      identity: url,
      promql: stores.victoriaPush,
    },
    {
      name: "VictoriaMetrics (the pusher's /write)",
      kind: 'prometheus',
      identityLabel: 'instance',
      identity: (instance) => instance.pushedAs,
      promql: stores.victoriaPush,
    },
  ];
}

/** What one query of one panel returned on one store, and what the catalog expects of it. */
export interface QueryOutcome {
  readonly dashboard: string;
  readonly panel: string;
  readonly refId: string;
  readonly store: string;
  /** The query as run (for one instance, when it selects one through a variable). */
  readonly query: string;
  readonly fields: readonly string[];
  /** The instances on this path, by name. */
  readonly instances: readonly string[];
  /** The instances that returned data. */
  readonly withData: readonly string[];
  /** Whether it returned data in series that name no instance (an aggregate over the fleet, `sum(…)`). */
  readonly aggregated: boolean;
  /** Where the catalog says every field it reads is measured; and where none is. */
  readonly expected: { readonly data: readonly string[]; readonly none: readonly string[] };
  /** What kept the query from being judged: an unknown field, a failed query, series that name no instance. */
  readonly problems: readonly string[];
}

const sourceKind = (target: Target): DataSourceKind | undefined =>
  typeof target.expr === 'string' ? 'prometheus' : typeof target.query === 'string' && target.rawQuery === true ? 'influxdb' : undefined;

/** The catalog field a name a query reads stands for: a field's key, or a histogram's `<key>_bucket`, `<key>_sum` or `<key>_count`. */
function catalogKeyOf(name: string): string | undefined {
  if (CATALOG.some((entry) => entry.key === name)) return name;
  const histogram = /^(.+)_(?:bucket|sum|count)$/.exec(name)?.[1];
  return CATALOG.some((entry) => entry.key === histogram && entry.kind === 'histogram') ? histogram : undefined;
}

/** The catalog field a PromQL metric name stands for: `<measurement>_<field>` on every path (a counter's key ends in `_total`). */
function fieldOfMetric(metric: string): string | undefined {
  return metric.startsWith(`${MEASUREMENT}_`) ? catalogKeyOf(metric.slice(MEASUREMENT.length + 1)) : undefined;
}

/** The catalog fields a target reads, or why they cannot be told. */
function fieldsRead(target: Target, kind: DataSourceKind, query: string): { fields: string[]; problems: string[] } {
  const declared = target.runometer?.fields;
  const problems: string[] = [];
  let fields: string[];
  if (declared !== undefined) {
    fields = declared;
  } else if (kind === 'influxdb') {
    fields = influxqlFields(query).map((name) => catalogKeyOf(name) ?? name);
  } else {
    fields = [];
    for (const metric of promqlMetricNames(query)) {
      const field = fieldOfMetric(metric);
      if (field === undefined) problems.push(`reads "${metric}", which is no field of the catalog as ${MEASUREMENT}_<field>`);
      else fields.push(field);
    }
  }
  for (const field of fields) {
    const key = field.split('{')[0]!;
    if (!CATALOG.some((entry) => entry.key === key)) problems.push(`reads "${field}", which no preset declares (not in tools/catalog.js)`);
  }
  if (fields.length === 0 && problems.length === 0)
    problems.push('reads no field that can be told: name them in the target\'s "runometer": { "fields": [...] }');
  return { fields: [...new Set(fields)], problems };
}

/** The name of the outcome that reports on a dashboard's variables rather than on a panel. */
export const VARIABLES = '(variables)';

const hasValue = (row: readonly unknown[]) => row.some((value) => value !== null);

/** The outcome of a query that could not be run: nothing to judge. */
const UNJUDGED = {
  instances: [],
  withData: [],
  aggregated: false,
  expected: { data: [], none: [] },
} as const satisfies Partial<QueryOutcome>;

/**
 * Runs the dashboards' every query on every store of its kind, for every instance of the fleet on
 * that path. Data of an instance that reaches the store another way (the pusher's, on the path of
 * Telegraf's writes) is not this path's, and is left out of its verdict.
 */
export async function runDashboards(dashboards: readonly Dashboard[], fleet: Fleet, stores: readonly Store[]): Promise<QueryOutcome[]> {
  const fromMs = fleet.from;
  const toMs = fleet.to;
  const outcomes: QueryOutcome[] = [];
  for (const dashboard of dashboards) {
    for (const { panel, title } of panelsWithTargets(dashboard.panels)) {
      for (const target of panel.targets!.filter((candidate) => sourceKind(candidate) === undefined)) {
        const problem = 'is neither a PromQL `expr` nor a raw InfluxQL `query` (rawQuery: true): no store runs it';
        outcomes.push({
          dashboard: dashboard.file,
          panel: title,
          refId: target.refId ?? '?',
          store: '-',
          query: JSON.stringify(target),
          fields: [],
          ...UNJUDGED,
          problems: [problem],
        });
      }
    }
    const queried = [];
    for (const store of stores) {
      const panels = panelsWithTargets(dashboard.panels).filter(({ panel }) =>
        panel.targets!.some((target) => sourceKind(target) === store.kind),
      );
      if (panels.length === 0) continue;
      const options = await variableOptions(dashboard, store, fromMs, toMs);
      const onPath = fleet.instances.filter((instance) => store.identity(instance) !== undefined);
      // The variable that lists the instances on this store, where one does: the operator picks one instance with it.
      const instanceVariable = dashboard.variables.find((variable) =>
        onPath.some((instance) => options.get(variable.name)?.includes(store.identity(instance)!)),
      );
      queried.push({ store, panels, options, instanceVariable, onPath });
    }
    const variablesProblem = (store: Store, problem: string) =>
      outcomes.push({
        dashboard: dashboard.file,
        panel: VARIABLES,
        refId: '-',
        store: store.name,
        query: '',
        fields: [],
        ...UNJUDGED,
        problems: [problem],
      });
    for (const { store, instanceVariable, onPath } of queried) {
      const elsewhere = queried.find((other) => other.store.kind === store.kind && other.instanceVariable !== undefined);
      if (instanceVariable !== undefined || elsewhere === undefined || onPath.length === 0) continue;
      variablesProblem(
        store,
        `no variable lists the instances here, where $${elsewhere.instanceVariable!.name} lists them on ${elsewhere.store.name}: one instance cannot be picked`,
      );
    }
    for (const { store, instanceVariable, onPath, options } of queried) {
      const unlisted = onPath.filter(
        (instance) => instanceVariable !== undefined && !options.get(instanceVariable.name)!.includes(store.identity(instance)!),
      );
      if (unlisted.length === 0) continue;
      const problem = `$${instanceVariable!.name} lists no value for ${unlisted.map((instance) => instance.name).join(', ')}: the dashboard cannot show ${unlisted.length === 1 ? 'it' : 'them'}`;
      variablesProblem(store, problem);
    }
    for (const { store, panels, options, instanceVariable, onPath } of queried) {
      const allSelections = new Map<string, Selection>(
        dashboard.variables.map((variable) => [variable.name, defaultSelection(variable, options.get(variable.name) ?? [])]),
      );
      for (const { panel, title } of panels) {
        const { intervalMs, builtIns } = panelTime(panel, fromMs, toMs);
        for (const target of panel.targets!) {
          const kind = sourceKind(target);
          if (kind !== store.kind) continue;
          const where = { dashboard: dashboard.file, panel: title, refId: target.refId ?? '?', store: store.name };
          const text = (kind === 'prometheus' ? target.expr : target.query)!;
          let query: string;
          try {
            query = interpolate(text, kind, builtIns, allSelections);
          } catch (error) {
            outcomes.push({ ...where, query: text, fields: [], ...UNJUDGED, problems: [(error as Error).message] });
            continue;
          }
          const { fields, problems } = fieldsRead(target, kind, query);
          const perInstance = instanceVariable !== undefined && variablesIn(text).includes(instanceVariable.name);
          // Asked one instance at a time, a panel shows those the variable lists (those it does not are named above).
          const shown = perInstance
            ? onPath.filter((instance) => options.get(instanceVariable.name)!.includes(store.identity(instance)!))
            : onPath;
          const expected = expectation(fields, shown, problems.length > 0);
          const withData = new Set<FleetInstance>();
          let aggregated = false;
          const run = (q: string) => ask(store, q, target, fromMs, toMs, intervalMs);
          try {
            if (perInstance) {
              // The panel shows the instances the variable selects: ask for each one alone.
              for (const instance of shown) {
                const identity = store.identity(instance)!;
                const one = new Map(allSelections).set(instanceVariable.name, {
                  variable: instanceVariable,
                  values: [identity],
                  all: false,
                });
                for (const { labels, rows } of await run(interpolate(text, kind, builtIns, one))) {
                  if (!rows.some(hasValue)) continue;
                  const other = fleet.instances.find((candidate) => candidate !== instance && identifies(labels, candidate));
                  if (other !== undefined)
                    problems.push(
                      `with $${instanceVariable.name} set to the ${instance.name} instance, returns the ${other.name} instance's series too`,
                    );
                  withData.add(instance);
                }
              }
            } else {
              for (const { labels, rows } of await run(query)) {
                if (!rows.some(hasValue)) continue;
                const instance = fleet.instances.find((candidate) => identifies(labels, candidate));
                if (instance === undefined) aggregated = true;
                else if (onPath.includes(instance)) withData.add(instance);
              }
            }
          } catch (error) {
            problems.push(`failed: ${(error as Error).message}`);
          }
          const names = (instances: readonly FleetInstance[]) => instances.map((instance) => instance.name);
          outcomes.push({
            ...where,
            query,
            fields,
            instances: names(shown),
            withData: names(shown.filter((instance) => withData.has(instance))),
            aggregated,
            expected,
            problems,
          });
        }
      }
    }
  }
  return outcomes;
}

/** `$__interval` of a panel over the range, as Grafana computes it, and the built-in variables with it. */
function panelTime(panel: Panel, fromMs: number, toMs: number) {
  const intervalMs = grafanaInterval(toMs - fromMs, panel.maxDataPoints ?? 1000, parseDuration(panel.interval) ?? SCRAPE_INTERVAL * 1000);
  return { intervalMs, builtIns: builtInVariables({ fromMs, toMs, intervalMs, scrapeIntervalMs: SCRAPE_INTERVAL * 1000 }) };
}

/**
 * What the target of a dashboard's panel that `which` picks returns on `store` over the fleet's
 * time range, as Grafana would ask it with every variable at its default ("All" where offered):
 * each series' labels and values, oldest first (NaN where a store answers none).
 */
export async function runTarget(
  dashboard: Dashboard,
  panelTitle: string,
  which: (target: Target) => boolean,
  store: Store,
  fleet: Pick<Fleet, 'from' | 'to'>,
): Promise<{ labels: Record<string, string>; values: number[] }[]> {
  const found = panelsWithTargets(dashboard.panels).find(({ title }) => title === panelTitle);
  const targets = found?.panel.targets?.filter(which) ?? [];
  if (targets.length !== 1) throw new Error(`${dashboard.file} has ${targets.length} such targets in a panel "${panelTitle}", not one`);
  const [target] = targets as [Target];
  const kind = sourceKind(target);
  if (kind !== store.kind) throw new Error(`${dashboard.file} › ${panelTitle}: its target is no query of ${store.name}`);
  const options = await variableOptions(dashboard, store, fleet.from, fleet.to);
  const selections = new Map(
    dashboard.variables.map((variable) => [variable.name, defaultSelection(variable, options.get(variable.name) ?? [])]),
  );
  const { intervalMs, builtIns } = panelTime(found!.panel, fleet.from, fleet.to);
  const query = interpolate((kind === 'prometheus' ? target.expr : target.query)!, kind, builtIns, selections);
  const series = await ask(store, query, target, fleet.from, fleet.to, intervalMs);
  return series.map(({ labels, rows }) => ({
    labels,
    values: rows.map(([value]) => (value === null || value === undefined ? Number.NaN : Number(value))),
  }));
}

/**
 * What is wrong with one query's outcome, in words: its problems, instances without the data the
 * catalog promises, and with data it rules out. An aggregate over the fleet cannot be told apart
 * by instance: it must have data where any runtime measures what it reads, and none where none does.
 */
export function verdict(outcome: QueryOutcome): string[] {
  const where = `${outcome.dashboard} › ${outcome.panel} › ${outcome.refId} on ${outcome.store}`;
  const missing = outcome.aggregated ? [] : outcome.expected.data.filter((runtime) => !outcome.withData.includes(runtime));
  const unexpected = outcome.withData.filter((runtime) => outcome.expected.none.includes(runtime));
  const noneMeasures = outcome.aggregated && outcome.instances.length > 0 && outcome.expected.none.length === outcome.instances.length;
  const reads = `${outcome.fields.join(', ')} (query: ${outcome.query})`;
  return [
    ...outcome.problems.map((problem) => `${where} ${problem}`),
    ...(missing.length > 0 ? [`${where}: no data for ${missing.join(', ')}, which measure ${reads}`] : []),
    ...(unexpected.length > 0 ? [`${where}: data for ${unexpected.join(', ')}, which do not measure ${reads}`] : []),
    ...(noneMeasures ? [`${where}: data over the fleet, where no instance measures ${reads}`] : []),
  ];
}

/** Whether a series' labels (or an InfluxDB series' tags) say it is `instance`'s: by its scrape target, its url, or the instance tag it pushes with. */
const identifies = (labels: Readonly<Record<string, string>>, instance: FleetInstance) =>
  (instance.target !== undefined && labels['instance'] === instance.target) ||
  (instance.url !== undefined && labels['url'] === instance.url) ||
  (instance.pushedAs !== undefined && labels['instance'] === instance.pushedAs);

/**
 * Where the instance's lines carry the presets of every field read and its runtime measures them
 * (none with a `when`), data is due; where it has none of them, none. Anything else is left unasserted.
 */
function expectation(fields: readonly string[], instances: readonly FleetInstance[], unknown: boolean): QueryOutcome['expected'] {
  if (unknown) return { data: [], none: [] };
  const entries = fields.map((field) => catalogEntry(field));
  const conditional = entries.some((entry) => entry.when !== undefined);
  const data: string[] = [];
  const none: string[] = [];
  for (const instance of instances) {
    const measured = entries.map((entry) => instance.presets.includes(entry.preset) && measures(knownRuntime(instance.runtime), entry.key));
    if (measured.every(Boolean) && !conditional) data.push(instance.name);
    if (!measured.some(Boolean)) none.push(instance.name);
  }
  return { data, none };
}

async function ask(store: Store, query: string, target: Target, fromMs: number, toMs: number, intervalMs: number) {
  if (store.influxql) return (await store.influxql(query)).map(({ tags, rows }) => ({ labels: tags, rows }));
  const promql = store.promql!;
  const series: PromSeries[] = target.instant
    ? await promql.query(query, toMs / 1000)
    : await promql.queryRange(query, fromMs / 1000, toMs / 1000, intervalMs / 1000);
  return series.map(({ metric, values }) => ({ labels: metric, rows: values.map(([, value]) => [value]) }));
}

/** Each variable's options on `store`, as Grafana would list them, in the order of the dashboard (a variable may use those before it). */
async function variableOptions(dashboard: Dashboard, store: Store, fromMs: number, toMs: number): Promise<Map<string, string[]>> {
  const options = new Map<string, string[]>();
  const builtIns = builtInVariables({ fromMs, toMs, intervalMs: SCRAPE_INTERVAL * 1000, scrapeIntervalMs: SCRAPE_INTERVAL * 1000 });
  for (const variable of dashboard.variables) {
    const selections = new Map(
      [...options].map(([name, values]) => [name, defaultSelection(dashboard.variables.find((v) => v.name === name)!, values)]),
    );
    const text = variableQuery(variable);
    let values: string[];
    try {
      values = await optionsOf(variable, text, store, builtIns, selections);
    } catch (error) {
      throw new Error(`${dashboard.file}: variable "${variable.name}" on ${store.name}: ${(error as Error).message}`);
    }
    // A custom variable that offers the label telling instances apart on this store (the
    // dashboards' `instance_label`: `instance` where scraped, `url` where Telegraf pushed) is set
    // to it, as the operator of that store sets it.
    if (variable.type === 'custom' && values.includes(store.identityLabel)) values = [store.identityLabel];
    options.set(variable.name, applyVariableRegex(values, variable.regex));
  }
  return options;
}

/** A variable's options before its regex; none for datasource and adhoc variables, which choose no value for a query's text. */
async function optionsOf(
  variable: GrafanaVariable,
  text: string,
  store: Store,
  builtIns: Record<string, string>,
  selections: ReadonlyMap<string, Selection>,
): Promise<string[]> {
  switch (variable.type) {
    case 'query': {
      const query = interpolate(text, store.kind, builtIns, selections);
      // SHOW TAG VALUES answers key and value: the value is the last column.
      if (store.influxql) return (await store.influxql(query)).flatMap(({ rows }) => rows.map((row) => String(row[row.length - 1])));
      const { label, match } = parseLabelValues(query);
      return store.promql!.labelValues(label, match);
    }
    case 'custom':
    case 'interval':
      return variable.options?.length
        ? variable.options.map((option) => option.value).filter((value) => value !== '$__all')
        : text.split(',').map((value) => value.trim());
    case 'constant':
    case 'textbox':
      return [text];
    default:
      return [];
  }
}

/** "All" where the variable offers it; otherwise its current value where it is an option, else the first option, as Grafana picks. */
function defaultSelection(variable: GrafanaVariable, options: readonly string[]): Selection {
  if (variable.includeAll) return { variable, values: options, all: true };
  const current = [variable.current?.value ?? []].flat().filter((value) => options.includes(value));
  return { variable, values: current.length > 0 ? current : options.slice(0, 1), all: false };
}

function parseDuration(text: string | undefined): number | undefined {
  const match = /^>?(\d+)(ms|s|m|h)$/.exec(text ?? '');
  if (match === null) return undefined;
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
}
