import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../packages/cli/test/run-cli.js';
import { MEASUREMENT, asTelegrafWrites, startFleet, type Fleet } from './fleet.js';
import {
  VARIABLES,
  fleetStores,
  panelsWithTargets,
  readDashboards,
  runDashboards,
  verdict,
  type Dashboard,
  type QueryOutcome,
} from './dashboards.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = `${root}e2e/fixtures`;
const DASHBOARDS = `${root}dashboards`;

// The fixtures test the runner itself; the repository's dashboards, once dashboards/ exists, are what users import.
const fixtures = readDashboards(FIXTURES);
const dashboards = [...fixtures, ...(existsSync(DASHBOARDS) ? readDashboards(DASHBOARDS) : [])];

let fleet: Fleet | undefined;
let starting: Promise<Fleet> | undefined;
let outcomes: QueryOutcome[] = [];

beforeAll(async () => {
  starting = startFleet({ feedSeconds: 30 });
  fleet = await starting;
  outcomes = await runDashboards(dashboards, fleet, fleetStores(fleet));
}, 180_000);

// Even when beforeAll timed out, the fleet still starting is stopped once it has started (or has failed and stopped itself).
afterAll(async () => {
  await starting?.then(
    (started) => started.stop(),
    () => {},
  );
}, 120_000);

test("the feeder writes what Telegraf would: its host and url tags after each line's measurement, and the scrape's time at 1 s", () => {
  const tags = { host: 'vm 1', url: 'http://127.0.0.1:1/' };
  expect(asTelegrafWrites('m,app=a x=1i\nm\\,n y=2\n# comment\n', tags, 1_700_000_000_600)).toBe(
    'm,host=vm\\ 1,url=http://127.0.0.1:1/,app=a x=1i 1700000001000000000\nm\\,n,host=vm\\ 1,url=http://127.0.0.1:1/ y=2 1700000001000000000\n',
  );
});

test('the dashboards under test are found: both fixtures, and every dashboard of dashboards/ once it exists', () => {
  expect(fixtures.map((dashboard) => dashboard.file)).toEqual([
    'e2e/fixtures/influxql-dashboard.json',
    'e2e/fixtures/promql-dashboard.json',
  ]);
  if (existsSync(DASHBOARDS)) expect(dashboards.length).toBeGreaterThan(fixtures.length);
});

test("the fixtures' verdicts are not empty: they expect data on every runtime, and none on Bun and on Deno", () => {
  const ofFixtures = outcomes.filter((outcome) => outcome.dashboard.startsWith('e2e/fixtures/'));
  const plain = ['node', 'bun', 'deno'];
  expect(new Set(ofFixtures.flatMap((outcome) => outcome.expected.data).filter((name) => plain.includes(name)))).toEqual(new Set(plain));
  expect(new Set(ofFixtures.flatMap((outcome) => outcome.expected.none).filter((name) => plain.includes(name)))).toEqual(
    new Set(['bun', 'deno']),
  );
  expect(new Set(ofFixtures.map((outcome) => outcome.store)).size).toBe(fleetStores(fleet!).length);
});

test("the clustered instance's lines reach the stores through its primary, the primary's own and each worker's apart", async () => {
  const cluster = fleet!.instances.find((instance) => instance.name === 'node-cluster')!;
  const [influxdb, prometheus] = fleetStores(fleet!);
  const tagged = await influxdb!.influxql!(`SHOW TAG VALUES FROM "${MEASUREMENT}" WITH KEY = "worker" WHERE "url" = '${cluster.url}'`);
  expect(tagged.flatMap(({ rows }) => rows.map((row) => row.at(-1))).sort()).toEqual(['1', '2', 'primary']);
  const scraped = await prometheus!.promql!.query(
    `count by (worker) (${MEASUREMENT}_uptime_seconds{instance="${cluster.target}"})`,
    fleet!.to / 1000,
  );
  expect(scraped.map(({ metric }) => metric['worker']).sort()).toEqual(['1', '2', 'primary']);
  // The primary's line alone says how many workers it asked; here, every one answered.
  const counts = await prometheus!.promql!.query(`${MEASUREMENT}_cluster_workers_answered{instance="${cluster.target}"}`, fleet!.to / 1000);
  expect(counts.map(({ metric, values }) => [metric['worker'], values[0]![1]])).toEqual([['primary', '2']]);
});

test("the threaded instance's lines reach the stores through its main thread, the main thread's and the worker thread's apart", async () => {
  const threaded = fleet!.instances.find((instance) => instance.name === 'node-threads')!;
  const [influxdb, prometheus] = fleetStores(fleet!);
  const tagged = await influxdb!.influxql!(`SHOW TAG VALUES FROM "${MEASUREMENT}" WITH KEY = "thread" WHERE "url" = '${threaded.url}'`);
  expect(tagged.flatMap(({ rows }) => rows.map((row) => row.at(-1))).sort()).toEqual(['1', 'main']);
  // Each thread's event loop is its own: a delay series for each.
  const delays = await prometheus!.promql!.query(
    `${MEASUREMENT}_eventloop_delay_p99_seconds{instance="${threaded.target}"}`,
    fleet!.to / 1000,
  );
  expect(delays.map(({ metric }) => metric['thread']).sort()).toEqual(['1', 'main']);
  const counts = await prometheus!.promql!.query(`${MEASUREMENT}_worker_threads_answered{instance="${threaded.target}"}`, fleet!.to / 1000);
  expect(counts.map(({ metric, values }) => [metric['thread'], values[0]![1]])).toEqual([['main', '1']]);
});

test.each(['node-cluster', 'node-threads'])(
  'runometer check finds the %s instance clean: its workers and threads tagged, the catalog knows their counts',
  async (name) => {
    const instance = fleet!.instances.find((candidate) => candidate.name === name)!;
    const { status, stdout } = await runCli('check', instance.url!);
    expect([status, stdout.split('\n').at(-2)]).toEqual([0, `${instance.url}: clean`]);
  },
);

describe.each(dashboards)('$file', (dashboard: Dashboard) => {
  const targets = panelsWithTargets(dashboard.panels).flatMap(({ panel }) => panel.targets!);

  test('every query of every panel runs on every store of its language', () => {
    const stores = (kind: string) => fleetStores(fleet!).filter((store) => store.kind === kind);
    const expected = targets.flatMap((target) => (typeof target.expr === 'string' ? stores('prometheus') : stores('influxdb')));
    expect(targets.length).toBeGreaterThan(0);
    expect(outcomes.filter((outcome) => outcome.dashboard === dashboard.file && outcome.panel !== VARIABLES)).toHaveLength(expected.length);
  });

  test('each returns data for every instance whose runtime measures what it reads, and none where the runtime does not', () => {
    expect(outcomes.filter((outcome) => outcome.dashboard === dashboard.file).flatMap((outcome) => verdict(outcome))).toEqual([]);
  });
});

describe('the runner fails what it should', () => {
  const broken: Dashboard = {
    file: 'broken.json',
    title: 'broken',
    variables: [],
    panels: [
      {
        title: 'a typo',
        targets: [
          { refId: 'A', expr: `${MEASUREMENT}_rss_byte` },
          { refId: 'B', rawQuery: true, query: `SELECT last("rss_byte") FROM "${MEASUREMENT}" GROUP BY "url"` },
        ],
      },
      // tcp_sockets is not measured on Bun: declared as rss_bytes, Bun's missing data is a mismatch.
      { title: 'a wrong declaration', targets: [{ refId: 'A', expr: `${MEASUREMENT}_tcp_sockets`, runometer: { fields: ['rss_bytes'] } }] },
      {
        title: 'over the fleet',
        targets: [{ refId: 'A', expr: `sum(${MEASUREMENT}_rss_bytes)` }],
      },
      { title: 'an unknown variable', targets: [{ refId: 'A', expr: `${MEASUREMENT}_rss_bytes{job="$job"}` }] },
      { title: 'a query builder target', targets: [{ refId: 'A', query: 'SELECT 1' }] },
    ],
  };

  test('a field the catalog does not have is named; no data where the catalog says some is a mismatch; an aggregate over the fleet is judged as one', async () => {
    const results = await runDashboards([broken], fleet!, fleetStores(fleet!).slice(0, 2));
    const byPanel = (panel: string, refId = 'A') => results.filter((outcome) => outcome.panel === panel && outcome.refId === refId);
    expect(byPanel('a typo').map((outcome) => outcome.problems)).toEqual([
      [`reads "${MEASUREMENT}_rss_byte", which is no field of the catalog as ${MEASUREMENT}_<field>`],
    ]);
    expect(byPanel('a typo', 'B').map((outcome) => outcome.problems)).toEqual([
      ['reads "rss_byte", which no preset declares (not in tools/catalog.js)'],
    ]);
    expect(byPanel('a wrong declaration').flatMap((outcome) => verdict(outcome))).toEqual([
      `broken.json › a wrong declaration › A on Prometheus 2.42 (scrape): no data for bun, which measure rss_bytes (query: ${MEASUREMENT}_tcp_sockets)`,
    ]);
    expect(byPanel('over the fleet').map((outcome) => [outcome.aggregated, verdict(outcome)])).toEqual([[true, []]]);
    expect(byPanel('an unknown variable')[0]!.problems).toEqual(['$job is no variable of the dashboard (it has none)']);
    expect(byPanel('a query builder target').map((outcome) => [outcome.store, outcome.problems])).toEqual([
      ['-', ['is neither a PromQL `expr` nor a raw InfluxQL `query` (rawQuery: true): no store runs it']],
    ]);
  });

  test("a pusher's field is due on the pushing process alone: declared as another's, the verdict names the instances", async () => {
    const [influxdb, prometheus, , , pusherPath] = fleetStores(fleet!);
    const presets: Dashboard = {
      file: 'presets.json',
      title: 'presets',
      variables: [],
      panels: [
        {
          title: 'pushed as served',
          targets: [{ refId: 'A', expr: `${MEASUREMENT}_push_buffered_points`, runometer: { fields: ['rss_bytes'] } }],
        },
        {
          title: 'served as pushed',
          targets: [{ refId: 'A', expr: `${MEASUREMENT}_rss_bytes`, runometer: { fields: ['push_buffered_points'] } }],
        },
        {
          title: 'pushed',
          targets: [
            {
              refId: 'A',
              rawQuery: true,
              query: `SELECT last("push_buffered_points") FROM "${MEASUREMENT}" WHERE $timeFilter GROUP BY "instance", "url"`,
            },
          ],
        },
      ],
    };
    const results = await runDashboards([presets], fleet!, [influxdb!, prometheus!, pusherPath!]);
    const verdicts = (panel: string) => results.filter((outcome) => outcome.panel === panel).flatMap((outcome) => verdict(outcome));
    const served = fleet!.instances.filter((instance) => instance.target !== undefined).map((instance) => instance.name);
    expect(served).toEqual(['node', 'bun', 'deno', 'node-cluster', 'node-threads']);
    expect(verdicts('pushed as served')).toEqual([
      `presets.json › pushed as served › A on Prometheus 2.42 (scrape): no data for ${served.join(', ')}, which measure rss_bytes (query: ${MEASUREMENT}_push_buffered_points)`,
    ]);
    expect(verdicts('served as pushed')).toEqual([
      `presets.json › served as pushed › A on Prometheus 2.42 (scrape): data for ${served.join(', ')}, which do not measure push_buffered_points (query: ${MEASUREMENT}_rss_bytes)`,
    ]);
    // InfluxDB holds the pusher's lines and Telegraf's: the pushing process alone has the field, and is due it.
    expect(
      results.filter((outcome) => outcome.panel === 'pushed').map((outcome) => [outcome.withData, outcome.expected, verdict(outcome)]),
    ).toEqual([[['node-push'], { data: ['node-push'], none: served }, []]]);
  });

  test('a variable that lists the instances by url alone cannot show the pushing process, and says so', async () => {
    const [influxdb] = fleetStores(fleet!);
    const byUrl: Dashboard = {
      file: 'by-url.json',
      title: 'by url',
      variables: [{ name: 'instance', type: 'query', query: `SHOW TAG VALUES FROM "${MEASUREMENT}" WITH KEY = "url"` }],
      panels: [
        {
          title: 'rss',
          targets: [
            {
              refId: 'A',
              rawQuery: true,
              query: `SELECT last("rss_bytes") FROM "${MEASUREMENT}" WHERE "url" = '$instance' AND $timeFilter`,
            },
          ],
        },
      ],
    };
    const results = await runDashboards([byUrl], fleet!, [influxdb!]);
    expect(results.filter((outcome) => outcome.panel === VARIABLES).flatMap((outcome) => verdict(outcome))).toEqual([
      "by-url.json › (variables) › - on InfluxDB 1.6 (Telegraf-like writes and the pusher's) $instance lists no value for node-push: the dashboard cannot show it",
    ]);
  });

  test('a variable that lists the instances on one PromQL store and nothing on another is named', async () => {
    const [, prometheus, , victoriaPush] = fleetStores(fleet!);
    const byInstance: Dashboard = {
      file: 'drill-down.json',
      title: 'drill-down',
      variables: [{ name: 'instance', type: 'query', query: `label_values(${MEASUREMENT}_rss_bytes, instance)` }],
      panels: [{ title: 'rss', targets: [{ refId: 'A', expr: `${MEASUREMENT}_rss_bytes{instance="$instance"}` }] }],
    };
    const results = await runDashboards([byInstance], fleet!, [prometheus!, victoriaPush!]);
    expect(results.filter((outcome) => outcome.panel === VARIABLES).map((outcome) => [outcome.store, outcome.problems])).toEqual([
      [
        'VictoriaMetrics (line protocol pushed to /write)',
        ['no variable lists the instances here, where $instance lists them on Prometheus 2.42 (scrape): one instance cannot be picked'],
      ],
    ]);
    // On Prometheus, one query per instance through the variable, each with its own data.
    const scraped = fleet!.instances.filter((instance) => instance.target !== undefined).map((instance) => instance.name);
    expect(results.find((outcome) => outcome.store === 'Prometheus 2.42 (scrape)')!.withData).toEqual(scraped);
  });

  test('an aggregate over the fleet with data where no runtime measures what it reads is a mismatch', () => {
    const outcome: QueryOutcome = {
      dashboard: 'd.json',
      panel: 'p',
      refId: 'A',
      store: 's',
      query: 'sum(x)',
      fields: ['x'],
      instances: ['node', 'bun', 'deno'],
      withData: [],
      aggregated: true,
      expected: { data: [], none: ['node', 'bun', 'deno'] },
      problems: [],
    };
    expect(verdict(outcome)).toEqual(['d.json › p › A on s: data over the fleet, where no instance measures x (query: sum(x))']);
    expect(verdict({ ...outcome, aggregated: false, withData: ['bun'] })).toEqual([
      'd.json › p › A on s: data for bun, which do not measure x (query: sum(x))',
    ]);
  });
});
