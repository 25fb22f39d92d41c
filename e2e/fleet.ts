import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogOf } from '@runometer/core';
import { catalogEntry, PRESETS } from '../tools/catalog.js';
import { launch, RUNTIMES } from '../tools/runtimes.js';

/** The fleet's runtimes: one of each, the Node that runs the suite for Node. */
type FleetRuntime = (typeof RUNTIMES)[number];
import { startInfluxDB, type InfluxDB } from './influxdb.js';
import { freePort } from './ports.js';
import { startPrometheus } from './prometheus.js';
import { promqlClient, type PromQLClient } from './promql.js';
import { startServer } from './server-process.js';
import { startVictoriaMetrics, type VictoriaMetrics } from './victoria-metrics.js';
import { buildPackages } from '../test/runtimes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The demo's measurement (examples/demo/start.js), which every instance of the fleet renders. */
export const MEASUREMENT = 'runometer_demo';
/** The InfluxDB database the Telegraf-like feeder writes to (Telegraf's default). */
export const DATABASE = 'telegraf';
/** Seconds between two scrapes, for every collector alike. */
export const SCRAPE_INTERVAL = 2;

export interface FleetInstance {
  /** How the verdicts name it: its runtime for the three plain instances, what else it is for the others (`node-cluster`). */
  readonly name: string;
  readonly runtime: FleetRuntime;
  readonly app: string;
  /** The presets whose fields its lines carry, by their `@preset` names (a catalog entry's `preset`). */
  readonly presets: readonly string[];
  /** What Telegraf's `url` tag says: the endpoint it GETs; absent for a process that pushes. */
  readonly url?: string;
  /** What Prometheus' `instance` label says: the scrape target; absent for a process that pushes. */
  readonly target?: string;
  /** The `instance` tag of a process that pushes its lines (@runometer/push) instead of being scraped. */
  readonly pushedAs?: string;
}

/** A fleet instance that is served, so scraped: it has a url and a target. */
export type ServedInstance = FleetInstance & { readonly url: string; readonly target: string };

/** The four presets' names, as their catalog entries give them: the lines of every instance carry them. */
export const FOUR_PRESETS = Object.values(PRESETS).map((preset) => catalogOf(preset)[0]!.preset);

/**
 * An instance the fleet serves: the script its runtime runs (PORT MEASUREMENT APP and `args` its
 * arguments), the presets its lines carry, and its app (its runtime's in APPS unless given).
 */
export interface ServedSpec {
  readonly name: string;
  readonly runtime: FleetRuntime;
  readonly script: string;
  readonly presets: readonly string[];
  readonly app?: string;
  readonly args?: readonly string[];
}

/** One instance of the demo's meter on each runtime, a clustered one (a primary with two workers), and one with a worker thread. */
const SERVED: readonly ServedSpec[] = [
  ...RUNTIMES.map((runtime) => ({ name: runtime, runtime, script: 'e2e/fleet-instance.js', presets: FOUR_PRESETS })),
  {
    name: 'node-cluster',
    runtime: 'node',
    script: 'e2e/fleet-cluster.js',
    presets: [...FOUR_PRESETS, catalogEntry('cluster_workers_asked').preset],
  },
  {
    name: 'node-threads',
    runtime: 'node',
    script: 'e2e/fleet-threads.js',
    presets: [...FOUR_PRESETS, catalogEntry('worker_threads_asked').preset],
  },
];

/** The stores the fleet feeds, each through one path, so that what a store holds came one way. */
export interface FleetStores {
  /** InfluxDB 1.6, written as Telegraf's inputs.http + outputs.influxdb would. */
  readonly influxdb: InfluxDB;
  /** Prometheus 2.42, scraping the instances. */
  readonly prometheus: PromQLClient;
  /** VictoriaMetrics scraping the instances (-promscrape.config). */
  readonly victoriaScrape: VictoriaMetrics;
  /** VictoriaMetrics receiving line protocol on /write (Telegraf's outputs.influxdb pointed at it). */
  readonly victoriaPush: VictoriaMetrics;
}

export interface Fleet {
  readonly instances: readonly FleetInstance[];
  readonly stores: FleetStores;
  /** When feeding began and ended, in milliseconds since the epoch. */
  readonly from: number;
  readonly to: number;
  /** Stops every process this fleet started and removes their directories; never throws. */
  stop(): Promise<void>;
}

/** Node and Deno serve app "checkout", Bun "search": two values for the dashboards' app variable. */
const APPS: Readonly<Record<FleetRuntime, string>> = { node: 'checkout', bun: 'search', deno: 'checkout' };

/**
 * The tags Telegraf adds to each line it scrapes with inputs.http: `host` (the agent's host name,
 * unless omit_hostname) and `url` (the endpoint; unless tagexclude drops it, which the feeder
 * does not: an operator with many instances tells them apart by it), and its timestamp (the
 * scrape's time at Telegraf's 1 s precision), since our lines carry none.
 */
export function asTelegrafWrites(body: string, tags: Readonly<Record<string, string>>, timeMs: number): string {
  const escaped = Object.entries(tags)
    .map(([key, value]) => `,${key}=${value.replace(/[,= ]/g, '\\$&')}`)
    .join('');
  const timestamp = `${BigInt(Math.round(timeMs / 1000)) * 1_000_000_000n}`;
  return body
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const measurementEnd = /(?<!\\)[, ]/.exec(line)!.index;
      return `${line.slice(0, measurementEnd)}${escaped}${line.slice(measurementEnd)} ${timestamp}\n`;
    })
    .join('');
}

/**
 * The scrape configuration Prometheus and VictoriaMetrics get: every instance, every SCRAPE_INTERVAL
 * seconds, on /metrics; with `ruleFiles` (Prometheus alone evaluates rules), those rules, evaluated
 * as often, so that a rule has a value as soon as its series do.
 */
export function scrapeConfig(instances: readonly ServedInstance[], ruleFiles: readonly string[] = []): string {
  const rules =
    ruleFiles.length === 0
      ? ''
      : `  evaluation_interval: ${SCRAPE_INTERVAL}s\nrule_files: [${ruleFiles.map((file) => `'${file}'`).join(', ')}]\n`;
  return `global:
  scrape_interval: ${SCRAPE_INTERVAL}s
${rules}scrape_configs:
  - job_name: runometer
    static_configs:
      - targets: [${instances.map((instance) => `'${instance.target}'`).join(', ')}]
`;
}

/** The pushing process: no endpoint, its own Pushers write to InfluxDB and to VictoriaMetrics' /write. */
const PUSHING: FleetInstance = {
  name: 'node-push',
  runtime: 'node',
  app: 'batch',
  presets: [...FOUR_PRESETS, catalogEntry('push_points_sent_total').preset],
  pushedAs: 'nightly-export',
};

/** Starts the pushing process, pushing as often as the feeder scrapes; ready once InfluxDB holds its first point. */
async function startPushing(influxdb: InfluxDB, victoriaMetrics: VictoriaMetrics) {
  const [command, ...args] = launch(PUSHING.runtime, join(root, 'e2e/fleet-push.js'));
  const interval = String(SCRAPE_INTERVAL * 1000);
  return startServer({
    name: "the fleet's pushing process",
    command,
    args: [...args, MEASUREMENT, PUSHING.app, PUSHING.pushedAs!, interval, influxdb.url, DATABASE, victoriaMetrics.url],
    dir: mkdtempSync(join(tmpdir(), 'runometer-fleet-push-')),
    ready: async () => {
      const [result] = await influxdb.query(DATABASE, `SHOW TAG VALUES FROM "${MEASUREMENT}" WITH KEY = "instance"`);
      return (result?.series ?? []).some((series) => series.values.some((row) => row[1] === PUSHING.pushedAs));
    },
  });
}

/**
 * Builds the packages (Node runs the instances over dist/) and starts the served instances, each
 * ready to be scraped; how to stop each goes into `stops`, also when one fails to start.
 */
export async function serveInstances(specs: readonly ServedSpec[], stops: (() => Promise<void>)[]): Promise<ServedInstance[]> {
  await buildPackages();
  // allSettled: an instance that fails must not leave the others starting unseen by stop().
  const started = await Promise.allSettled(
    specs.map(async ({ name, runtime, script, presets, app, args: extra = [] }) => {
      const port = await freePort();
      const instance: ServedInstance = {
        name,
        runtime,
        app: app ?? APPS[runtime],
        presets,
        url: `http://127.0.0.1:${port}/`,
        target: `127.0.0.1:${port}`,
      };
      const [command, ...args] = launch(runtime, join(root, script));
      const server = await startServer({
        name: `the fleet's ${name} instance on ${instance.url}`,
        command,
        args: [...args, String(port), MEASUREMENT, instance.app, ...extra],
        dir: mkdtempSync(join(tmpdir(), `runometer-fleet-${name}-`)),
        ready: async () => (await fetch(instance.url)).status === 200,
      });
      stops.push(server.stop);
      return instance;
    }),
  );
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return started.map((result) => (result as PromiseFulfilledResult<ServedInstance>).value);
}

/**
 * Builds the packages (Node runs the instances over dist/), starts the served instances (by default
 * one instance of the demo's meter on Node, Bun and Deno, a clustered one and one with a worker
 * thread on Node), InfluxDB, Prometheus (evaluating the rules of `ruleFiles`), two VictoriaMetrics
 * and a process that pushes to InfluxDB and the second VictoriaMetrics, and feeds them for
 * `feedSeconds`. On any failure it stops what it started before it throws.
 */
export async function startFleet({
  feedSeconds = 30,
  served: specs = SERVED,
  ruleFiles = [],
}: {
  feedSeconds?: number;
  served?: readonly ServedSpec[];
  ruleFiles?: readonly string[];
} = {}): Promise<Fleet> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    await Promise.allSettled(
      stops
        .splice(0)
        .reverse()
        .map((stopOne) => stopOne()),
    );
  };
  try {
    const served = await serveInstances(specs, stops);

    const influxdb = await startInfluxDB();
    stops.push(influxdb.stop);
    await influxdb.query(DATABASE, `CREATE DATABASE ${DATABASE}`);
    const prometheus = await startPrometheus(scrapeConfig(served, ruleFiles));
    stops.push(prometheus.stop);
    const victoriaScrape = await startVictoriaMetrics({ scrapeConfig: scrapeConfig(served) });
    stops.push(victoriaScrape.stop);
    const victoriaPush = await startVictoriaMetrics();
    stops.push(victoriaPush.stop);
    const pushing = await startPushing(influxdb, victoriaPush);
    stops.push(pushing.stop);

    const from = Date.now();
    const rounds = Math.ceil(feedSeconds / SCRAPE_INTERVAL);
    for (let round = 0; round < rounds; round++) {
      const scraped = Date.now();
      await Promise.all(
        served.map(async (instance) => {
          // What Telegraf's HTTP client sends: GET, gzip welcome (fetch decompresses, as Go does).
          const response = await fetch(instance.url, { headers: { 'User-Agent': 'Telegraf', 'Accept-Encoding': 'gzip' } });
          if (response.status !== 200) throw new Error(`GET ${instance.url} answered ${response.status}`);
          const lines = asTelegrafWrites(await response.text(), { host: hostname(), url: instance.url }, scraped);
          for (const [store, write] of [
            ['InfluxDB', (body: string) => influxdb.write(DATABASE, body)],
            ['VictoriaMetrics', (body: string) => victoriaPush.write(body, DATABASE)],
          ] as const) {
            const written = await write(lines);
            if (written.status !== 204)
              throw new Error(`${store} /write answered ${written.status} to the ${instance.name} instance's lines: ${written.text}`);
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, scraped + SCRAPE_INTERVAL * 1000 - Date.now())));
    }
    const instances: FleetInstance[] = [...served, PUSHING];
    return {
      instances,
      stores: { influxdb, prometheus: promqlClient(prometheus.url), victoriaScrape, victoriaPush },
      from,
      to: Date.now(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
