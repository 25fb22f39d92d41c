// The fleet overview: every instance the variables select, the few values that tell a sick one,
// and a table of each instance's worst values over the time range.
import type { Dashboard, Panel } from '@grafana/schema';
import { GATHER_FIELDS } from '@runometer/cluster';
import type { CatalogEntry } from '@runometer/core';
import { catalogEntry } from '../tools/catalog.js';
import { instanceUid } from './instance.js';
import { dashboard, instancesTable, latestTable, layout, timeSeries, type Column } from './panels.js';
import type { Store } from './store.js';
import { grafanaUnit } from './units.js';

const field = (key: string) => catalogEntry(key);

interface Chart {
  title: string;
  fields: CatalogEntry[];
  /** What the panel tells, before each field's help. */
  about?: string;
  /** A series field's lines summed per instance (the GC kinds). */
  sumOverSeries?: boolean;
}

const CHARTS: Chart[] = [
  { title: 'Resident memory (RSS)', fields: [field('rss_bytes')] },
  { title: 'V8 heap used and its limit', fields: [field('heap_used_bytes'), field('heap_size_limit_bytes')] },
  { title: 'Event-loop delay p99', fields: [field('eventloop_delay_p99_seconds')] },
  { title: 'Event-loop utilization', fields: [field('eventloop_utilization')] },
  { title: 'CPU', fields: [field('cpu_percent')] },
  { title: 'Time in GC pauses', fields: [field('gc_pause_seconds_total')], sumOverSeries: true },
  { title: 'Open file descriptors', fields: [field('open_fds')] },
  { title: 'TCP sockets', fields: [field('tcp_sockets')] },
  { title: 'Active handles', fields: [field('active_handles')] },
];

const gatherFields = (gather: (typeof GATHER_FIELDS)[keyof typeof GATHER_FIELDS]) =>
  [gather.asked, gather.answered, gather.timedOut, gather.gone].map(field);

const PARTIAL_SCRAPE =
  "On the gathering process's own line (worker=primary, thread=main), from the last scrape: fewer answered than asked is a partial scrape, the missing lines those timed out or died.";

/** A clustered instance's and a threaded one's own view of its scrapes (@runometer/cluster). */
const GATHER_CHARTS: Chart[] = [
  {
    title: 'Partial scrapes: cluster workers',
    about: PARTIAL_SCRAPE,
    fields: gatherFields(GATHER_FIELDS.cluster),
  },
  {
    title: 'Partial scrapes: worker threads',
    about: PARTIAL_SCRAPE,
    fields: gatherFields(GATHER_FIELDS.threads),
  },
];

/** A pushing process's health (@runometer/push): a pusher that fails drops, is refused, retries, or buffers. */
const PUSH_CHARTS: Chart[] = [
  {
    title: 'Points pushed, dropped and refused',
    fields: [field('push_points_sent_total'), field('push_points_dropped_total'), field('push_points_refused_total')],
  },
  { title: 'Push retries', fields: [field('push_retries_total')] },
  { title: 'Points waiting to be pushed', fields: [field('push_buffered_points')] },
];
const LAST_PUSH_ERROR = field('push_last_error');

type WorstColumn = Omit<Column, 'alias'> & { of: CatalogEntry; over?: CatalogEntry };

const WORST: WorstColumn[] = [
  { name: 'event-loop p99', of: field('eventloop_delay_p99_seconds'), unit: 's', thresholds: [0.05, 0.2] },
  { name: 'event-loop utilization', of: field('eventloop_utilization'), unit: 'percentunit', thresholds: [0.7, 0.9] },
  { name: 'CPU', of: field('cpu_percent'), unit: 'percent', thresholds: [70, 90] },
  { name: 'RSS', of: field('rss_bytes'), unit: 'bytes', thresholds: [512 * 2 ** 20, 1024 * 2 ** 20] },
  {
    name: 'heap of its limit',
    of: field('heap_used_bytes'),
    over: field('heap_size_limit_bytes'),
    unit: 'percentunit',
    thresholds: [0.7, 0.9],
  },
  { name: 'fds of their limit', of: field('open_fds'), over: field('max_fds'), unit: 'percentunit', thresholds: [0.5, 0.8] },
];

function chart(store: Store, { title, fields, about, sumOverSeries = false }: Chart): Panel {
  const unit = grafanaUnit(fields[0]!);
  const mixed = fields.find((entry) => grafanaUnit(entry) !== unit);
  if (mixed !== undefined) throw new Error(`panel "${title}" mixes units: ${fields[0]!.key} and ${mixed.key}`);
  return timeSeries({
    title,
    description: [...(about === undefined ? [] : [about]), ...fields.map((entry) => `${entry.key}: ${entry.help ?? ''}`)].join(' '),
    unit,
    targets: fields.map((entry) => store.overTime(entry, 'fleet', { sumOverSeries, named: fields.length > 1 })),
  });
}

/** The pushing processes' last error, where the store keeps strings. */
function lastPushError(store: Store): { panel: Panel; width: number; height: number }[] {
  const target = store.latest(LAST_PUSH_ERROR, 'fleet');
  if (target === undefined) return [];
  const description = `${LAST_PUSH_ERROR.key}: ${LAST_PUSH_ERROR.help ?? ''} One row per pushing process that has failed in the time range, with its last error.`;
  return [{ panel: latestTable({ title: 'Last push error', description, targets: [target] }), width: 24, height: 6 }];
}

/** The drill-down's URL with the variables it shares with the fleet overview (each a single value): the data source, the measurement… */
export function drillDownUrl(store: Store): string {
  const shared = store.variables('instance').filter(({ name, type }) => name !== 'instance' && type !== 'query');
  return `/d/${instanceUid(store)}?${shared.map(({ name }) => `var-${name}=\${${name}}`).join('&')}`;
}

function worstTable(store: Store): Panel {
  const columns = WORST.map((column) => ({
    ...column,
    alias: column.over === undefined ? column.of.key : `${column.of.key}_of_${column.over.key}`,
  }));
  return instancesTable({
    title: 'Instances, worst over the time range',
    description:
      'One row per instance with the greatest value of each column over the time range: sorted by event-loop p99, a cell orange or red past its threshold. ' +
      'An empty cell is a value the runtime does not measure.',
    targets: columns.map((column) =>
      column.over === undefined ? store.worst(column.of, column.alias) : store.worstRatio(column.of, column.over, column.alias),
    ),
    columns,
    sortBy: WORST[0]!.name,
    drillDown: { url: drillDownUrl(store), instanceColumns: store.instanceTags },
  });
}

export function fleetOverview(store: Store): Dashboard {
  return dashboard({
    uid: `runometer-fleet-${store.name}`,
    title: `Runometer: fleet overview (${store.title})`,
    description:
      'Every instance at once, each cluster worker and worker thread apart: memory, event loop, CPU, GC, descriptors, sockets and handles, and the worst of each; ' +
      'partial scrapes of clusters and threads; the health of processes that push.',
    variables: store.variables('fleet'),
    panels: layout([
      { panels: [{ panel: worstTable(store), width: 24, height: 9 }] },
      { title: 'Every instance', panels: CHARTS.map((spec) => ({ panel: chart(store, spec), width: 8, height: 8 })) },
      { title: 'Clusters and worker threads', panels: GATHER_CHARTS.map((spec) => ({ panel: chart(store, spec), width: 12, height: 8 })) },
      {
        title: 'Pushing processes',
        panels: [...PUSH_CHARTS.map((spec) => ({ panel: chart(store, spec), width: 8, height: 8 })), ...lastPushError(store)],
      },
    ]),
  });
}
