// The fleet overview: every instance the variables select, the few values that tell a sick one,
// and a table of each instance's worst values over the time range.
import type { Dashboard, Panel } from '@grafana/schema';
import { GATHER_FIELDS } from '@runometer/cluster';
import type { CatalogEntry } from '@runometer/core';
import { catalogEntry } from '../tools/catalog.js';
import { instanceUid } from './instance.js';
import { dashboard, heatmap, instancesTable, latestTable, layout, timeSeries, type Column } from './panels.js';
import { LATENCY_OBJECTIVE, LATENCY_THRESHOLD_LE, REQUEST_DURATION, SERVER_ERRORS } from './slo.js';
import { histogramOf, type Grouping, type HistogramTotal, type Rate, type Store, type Target } from './store.js';
import { grafanaUnit, histogramRateUnit } from './units.js';

const field = (key: string) => catalogEntry(key);

interface Chart {
  title: string;
  fields: CatalogEntry[];
  /** What the panel tells, before each field's help. */
  about?: string;
  /** A series field's lines summed per instance (the GC kinds). */
  sumOverSeries?: boolean;
  /** What of a histogram is shown: the rate of its count or of its sum. */
  total?: HistogramTotal;
}

const CHARTS: Chart[] = [
  { title: 'Resident memory (RSS)', fields: [field('rss_bytes')] },
  { title: 'V8 heap used and its limit', fields: [field('heap_used_bytes'), field('heap_size_limit_bytes')] },
  { title: 'Event-loop delay p99', fields: [field('eventloop_delay_p99_seconds')] },
  { title: 'Event-loop utilization', fields: [field('eventloop_utilization')] },
  { title: 'CPU', fields: [field('cpu_percent')] },
  { title: 'Time in GC pauses', fields: [field('gc_duration_seconds')], sumOverSeries: true, total: 'sum' },
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

const EVENT_LOOP_DELAY = histogramOf(field('eventloop_delay_seconds'));

/** The whole fleet as one line; each app apart; each app's routes apart. */
const FLEET: Grouping = { by: [], name: 'fleet' };
const PER_APP: Grouping = { by: ['app'], name: '' };
const PER_ROUTE: Grouping = { by: ['app', 'route'], name: '' };

const REQUESTS: Rate = { entry: REQUEST_DURATION, sample: 'count' };
const ERRORS: Rate = { ...REQUESTS, where: SERVER_ERRORS };
const WITHIN_THRESHOLD: Rate = { entry: REQUEST_DURATION, sample: { le: '$threshold' } };

/** The SLO panel's threshold, a bound of the request durations' buckets: the latency objective's by default. */
function thresholdVariable(store: Store) {
  const description =
    "The latency SLO's threshold, in seconds: a bound of the request durations' buckets, so that the share within it is counted, not estimated.";
  return store.boundVariable('threshold', REQUEST_DURATION, description, LATENCY_THRESHOLD_LE);
}

const SUMMED =
  "Summed over every instance the variables select before anything is divided or interpolated: a fleet's buckets and counts add up, its instances' percentiles do not.";

interface SummedChart {
  title: string;
  about: string;
  unit: string;
  targets: (store: Store) => (Omit<Target, 'refId'> | undefined)[];
  kind?: 'heatmap';
}

const quantiles = (entry: CatalogEntry, groupings: readonly Grouping[]) => (store: Store) =>
  groupings.flatMap((grouping) =>
    [0.99, 0.5].map((q) => store.quantile(entry, q, { ...grouping, name: [`p${q * 100}`, grouping.name].filter(Boolean).join(' ') })),
  );

/** The fleet's requests and event-loop delay, from preset-http's and preset-threads' histograms summed over the instances. */
const SUMMED_CHARTS: SummedChart[] = [
  {
    title: 'Requests per second',
    about: `Requests ended per second (${REQUEST_DURATION.key}_count), the fleet's and each app's.`,
    unit: 'reqps',
    targets: (store) => [store.summedRate(REQUESTS, FLEET), store.summedRate(REQUESTS, PER_APP)],
  },
  {
    title: 'Error ratio (5xx)',
    about:
      "The share of requests answered 5xx, the fleet's and each app's: 0 where none was (in InfluxDB, nothing until an app's first 5xx), nothing where no request ended.",
    unit: 'percentunit',
    targets: (store) => [store.shareOf(ERRORS, REQUESTS, FLEET), store.shareOf(ERRORS, REQUESTS, PER_APP)],
  },
  {
    title: 'Requests within the threshold (SLO)',
    about: `The share of requests that took at most $threshold seconds (the ${REQUEST_DURATION.key}_bucket of le=$threshold over the count), the fleet's and each app's; the objective: ${LATENCY_OBJECTIVE.target * 100}% within ${LATENCY_OBJECTIVE.threshold} s.`,
    unit: 'percentunit',
    targets: (store) => [store.shareOf(WITHIN_THRESHOLD, REQUESTS, FLEET), store.shareOf(WITHIN_THRESHOLD, REQUESTS, PER_APP)],
  },
  {
    title: 'Request duration p99 and p50',
    about: "The fleet's and each app's, from the summed buckets (histogram_quantile), interpolated within the bucket they fall in.",
    unit: grafanaUnit(REQUEST_DURATION),
    targets: quantiles(REQUEST_DURATION, [FLEET, PER_APP]),
  },
  {
    title: 'Request duration distribution',
    about: 'Requests per second in each bucket of duration, over the fleet.',
    unit: grafanaUnit(REQUEST_DURATION),
    targets: (store) => [store.distribution(REQUEST_DURATION, 'fleet')],
    kind: 'heatmap',
  },
  {
    title: 'Requests per second, per route',
    about: `Requests ended per second (${REQUEST_DURATION.key}_count), per app and route.`,
    unit: 'reqps',
    targets: (store) => [store.summedRate(REQUESTS, PER_ROUTE)],
  },
  {
    title: 'Error ratio (5xx), per route',
    about: 'The share of requests answered 5xx, per app and route: 0 where none was (in InfluxDB, nothing until the first 5xx).',
    unit: 'percentunit',
    targets: (store) => [store.shareOf(ERRORS, REQUESTS, PER_ROUTE)],
  },
  {
    title: 'Request duration p99, per route',
    about: 'Per app and route, from the summed buckets (histogram_quantile).',
    unit: grafanaUnit(REQUEST_DURATION),
    targets: (store) => [store.quantile(REQUEST_DURATION, 0.99, { ...PER_ROUTE, name: 'p99' })],
  },
  {
    title: 'Event-loop delay p99 and p50',
    about: "The fleet's and each app's, from the summed buckets of every event loop (each worker's and thread's).",
    unit: grafanaUnit(EVENT_LOOP_DELAY),
    targets: quantiles(EVENT_LOOP_DELAY, [FLEET, PER_APP]),
  },
  {
    title: 'Event-loop delay distribution',
    about: 'Event-loop delays per second in each bucket, over the fleet.',
    unit: grafanaUnit(EVENT_LOOP_DELAY),
    targets: (store) => [store.distribution(EVENT_LOOP_DELAY, 'fleet')],
    kind: 'heatmap',
  },
];

/** The store's panels of the summed charts: a chart whose every query the store cannot ask (a quantile in InfluxQL) is left out. */
function summedPanels(store: Store): Panel[] {
  return SUMMED_CHARTS.flatMap(({ title, about, unit, targets, kind }) => {
    const asked = targets(store).filter((target) => target !== undefined);
    if (asked.length === 0) return [];
    const spec = { title, description: `${about} ${SUMMED}`, unit, targets: asked };
    return [kind === 'heatmap' ? heatmap(spec) : timeSeries(spec)];
  });
}

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

function chart(store: Store, { title, fields, about, sumOverSeries = false, total }: Chart): Panel {
  const unitOf = (entry: CatalogEntry) => (total === undefined ? grafanaUnit(entry) : histogramRateUnit(entry, total));
  const unit = unitOf(fields[0]!);
  const mixed = fields.find((entry) => unitOf(entry) !== unit);
  if (mixed !== undefined) throw new Error(`panel "${title}" mixes units: ${fields[0]!.key} and ${mixed.key}`);
  return timeSeries({
    title,
    description: [...(about === undefined ? [] : [about]), ...fields.map((entry) => `${entry.key}: ${entry.help ?? ''}`)].join(' '),
    unit,
    targets: fields.map((entry) => store.overTime(entry, 'fleet', { sumOverSeries, named: fields.length > 1, total })),
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
      "the fleet's requests (rate, error ratio, share within the SLO's threshold, duration quantiles and distribution) and event-loop delay, from histograms summed over the instances; " +
      'partial scrapes of clusters and threads; the health of processes that push.',
    variables: [...store.variables('fleet'), thresholdVariable(store)],
    panels: layout([
      { panels: [{ panel: worstTable(store), width: 24, height: 9 }] },
      {
        title: 'Requests and event-loop delay over the fleet',
        panels: summedPanels(store).map((panel) => ({ panel, width: 8, height: 8 })),
      },
      { title: 'Every instance', panels: CHARTS.map((spec) => ({ panel: chart(store, spec), width: 8, height: 8 })) },
      { title: 'Clusters and worker threads', panels: GATHER_CHARTS.map((spec) => ({ panel: chart(store, spec), width: 12, height: 8 })) },
      {
        title: 'Pushing processes',
        panels: [...PUSH_CHARTS.map((spec) => ({ panel: chart(store, spec), width: 8, height: 8 })), ...lastPushError(store)],
      },
    ]),
  });
}
