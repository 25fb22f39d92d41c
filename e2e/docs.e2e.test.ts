import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measuredOn } from '@runometer/runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalogEntry } from '../tools/catalog.js';
import { launch } from '../tools/runtimes.js';
import { DEMO_MEASUREMENT, RENDER_ERRORS, fieldsBySampleName, metricNamesIn } from '../test/prometheus-names.js';
import { startInfluxDB, type InfluxDB } from './influxdb.js';
import { FOUR_PRESETS } from './fleet.js';
import { freePort } from './ports.js';
import { startPrometheus, type Prometheus } from './prometheus.js';
import { buildPackages } from '../test/runtimes.js';

// docs/: the alert rules pass `promtool check rules` and their unit tests; a real Prometheus,
// configured with the scrape job and targets file of docs/monitor-a-fleet.md, evaluates them
// without error on the demo served by Bun and by Deno, where each metric they name is there
// exactly on the runtimes that measure its field; the guide's ranking queries answer in
// Prometheus and in a real InfluxDB 1.6 fed as Telegraf would.

const alertsDir = fileURLToPath(new URL('../docs/alerts/', import.meta.url));
const rulesFile = `${alertsDir}runometer.rules.yml`;
const rules = readFileSync(rulesFile, 'utf8');
const guide = readFileSync(new URL('../docs/monitor-a-fleet.md', import.meta.url), 'utf8');
const alertNames = [...rules.matchAll(/^\s*- alert: (\w+)$/gm)].map(([, name]) => name!);
const fields = fieldsBySampleName(DEMO_MEASUREMENT);
const expressions = [...rules.matchAll(/^\s*expr: (.+)$/gm)].map(([, expr]) => expr!);

/** The guide's code block in `language` that contains `text`. */
function guideBlock(language: string, text: string): string {
  const block = [...guide.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].find(
    ([, lang, body]) => lang === language && body!.includes(text),
  )?.[2];
  if (block === undefined) throw new Error(`docs/monitor-a-fleet.md has no ${language} block with ${text}`);
  return block;
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`expected ${from} in:\n${text}`);
  return text.replace(from, to);
}

function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: alertsDir, encoding: 'utf8' });
  if (result.error)
    throw new Error(`promtool could not run (${result.error.message}): apt-get install -y --no-install-recommends prometheus`);
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

describe('promtool', () => {
  test('check rules: every rule is valid', () => {
    expect(promtool('check', 'rules', 'runometer.rules.yml')).toEqual({
      status: 0,
      output: `Checking runometer.rules.yml\n  SUCCESS: ${alertNames.length} rules found`,
    });
  });

  test('test rules: each alert fires on its series and stays silent on the others', () => {
    expect(promtool('test', 'rules', 'runometer.rules.test.yml')).toEqual({
      status: 0,
      output: 'Unit Testing:  runometer.rules.test.yml\n  SUCCESS',
    });
  });
});

type DemoRuntime = 'bun' | 'deno';
const DEMO_RUNTIMES: readonly DemoRuntime[] = ['bun', 'deno'];

/** `npm start`'s demo, from the sources, on a free port: resolves with its port once it serves. */
function startDemo(runtime: DemoRuntime): Promise<{ child: ChildProcess; port: number }> {
  const [command, ...args] = launch(runtime, fileURLToPath(new URL('../examples/demo/start.js', import.meta.url)), { packages: 'sources' });
  const child = spawn(command, args, { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo on ${runtime} did not serve within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const port = /serves http:\/\/127\.0\.0\.1:(\d+)\//.exec(output)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({ child, port: Number(port) });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo on ${runtime} exited with code ${code}:\n${output}`));
    });
  });
}

async function stopDemo(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}

interface RuleState {
  name: string;
  health: string;
  lastError?: string;
  lastEvaluation: string;
}

const demos = new Map<DemoRuntime, { child: ChildProcess; port: number }>();

beforeAll(async () => {
  for (const runtime of DEMO_RUNTIMES) demos.set(runtime, await startDemo(runtime));
}, 70_000);

afterAll(async () => {
  for (const { child } of demos.values()) await stopDemo(child);
});

/** Whether the demo (the four presets and its own fault counter) has the field at all: a cluster's or a pusher's it has not. */
const demoHas = (key: string) => key === RENDER_ERRORS.key || FOUR_PRESETS.includes(catalogEntry(key).preset);

/** How `runtime` measures the field as the demo serves it. */
function demoMeasures(key: string, runtime: DemoRuntime): { measured: boolean; when?: string } {
  if (key === RENDER_ERRORS.key) return { measured: true };
  return demoHas(key) ? measuredOn(catalogEntry(key), runtime) : { measured: false };
}

/** The demo runtimes that measure every field behind the metrics of a PromQL expression. */
function runtimesMeasuring(expr: string): DemoRuntime[] {
  const keys = metricNamesIn(expr).map((name) => fields.get(name)!);
  return DEMO_RUNTIMES.filter((runtime) => keys.every((key) => demoMeasures(key, runtime).measured));
}

describe('a real Prometheus evaluates the rules on the demo, served by Bun and Deno', () => {
  const fileSdDir = mkdtempSync(join(tmpdir(), 'runometer-file-sd-'));
  let prometheus: Prometheus;
  let labels: Record<string, string>;

  async function ruleStates(): Promise<RuleState[]> {
    const body = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as { data: { groups: { rules: RuleState[] }[] } };
    return body.data.groups.flatMap((group) => group.rules);
  }

  beforeAll(async () => {
    // The guide's scrape job and targets file, with the demos as targets and scrapes every second.
    const [group] = JSON.parse(guideBlock('json', '"targets"')) as { targets: string[]; labels: Record<string, string> }[];
    const targets = [...demos.values()].map(({ port }) => `127.0.0.1:${port}`);
    writeFileSync(join(fileSdDir, 'fleet.json'), JSON.stringify([{ ...group, targets }]));
    labels = group!.labels;
    const scrapeJob = replaceOnce(
      replaceOnce(guideBlock('yaml', 'file_sd_configs'), 'scrape_interval: 15s', 'scrape_interval: 1s'),
      '/etc/prometheus/runometer/*.json',
      join(fileSdDir, '*.json'),
    );
    prometheus = await startPrometheus(`global: { evaluation_interval: 1s }\nrule_files: ['${rulesFile}']\n${scrapeJob}`);
    // Two scrapes of each target and an evaluation of every rule after them, or 30 s.
    for (let attempt = 0; attempt < 60; attempt++) {
      const scraped = await prometheus.query('count_over_time(up{job="runometer"}[1m]) >= 2');
      if (scraped.length === demos.size && (await ruleStates()).every((rule) => new Date(rule.lastEvaluation).getTime() > 0)) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    rmSync(fileSdDir, { recursive: true, force: true });
  });

  test('every rule of the file is loaded and evaluates without error', async () => {
    const states = await ruleStates();
    expect(states.map(({ name, health, lastError }) => ({ name, health, lastError: lastError ?? '' }))).toEqual(
      alertNames.map((name) => ({ name, health: 'ok', lastError: '' })),
    );
  });

  test("the guide's file_sd job scrapes both demos, with the labels of its targets file", async () => {
    const byInstance = (a: Record<string, string>, b: Record<string, string>) => a.instance!.localeCompare(b.instance!);
    const up = (await prometheus.query('up{job="runometer"}')).map(({ metric, value }) => ({ ...metric, up: value[1] }));
    const expected = [...demos.values()].map(({ port }) => ({
      __name__: 'up',
      job: 'runometer',
      instance: `127.0.0.1:${port}`,
      ...labels,
      up: '1',
    }));
    expect(up.sort(byInstance)).toEqual(expected.sort(byInstance));
  });

  const names = [...new Set(expressions.flatMap(metricNamesIn))].filter((name) => name !== 'up');

  test.each(names)(
    '%s is served by the runtimes that measure its field, and by no other (by none, for a field the demo has not)',
    async (name) => {
      const key = fields.get(name)!;
      const found = (await prometheus.query(`group by (runtime) (${name})`)).map(({ metric }) => String(metric.runtime));
      // render_errors_total is the demo's own field, which every runtime serves; a cluster's or a pusher's, none.
      const measurements = DEMO_RUNTIMES.map((runtime) => ({ runtime, measurement: demoMeasures(key, runtime) }));
      // A field measured only under a condition of the machine (`when`: a cgroup limit) may be either.
      const surely = measurements
        .filter(({ measurement }) => measurement.measured && !('when' in measurement))
        .map(({ runtime }) => runtime);
      const possibly = measurements.filter(({ measurement }) => measurement.measured).map(({ runtime }): string => runtime);
      expect(found.filter((runtime) => !possibly.includes(runtime))).toEqual([]);
      expect(surely.filter((runtime) => !found.includes(runtime))).toEqual([]);
    },
  );

  test.each(guideBlock('promql', 'topk').trim().split('\n'))(
    "the guide's ranking %s lists every instance that measures its fields",
    async (expr) => {
      const ranked = (await prometheus.query(expr)).map(({ metric }) => String(metric.runtime)).sort();
      expect(ranked).toEqual(runtimesMeasuring(expr).sort());
    },
  );
});

/**
 * The guide's TypeScript block that contains `text`, with the imports it leaves out, as a file: `.ts`
 * for Bun over the sources, `.mjs` for Node over the built packages (the blocks are JavaScript too).
 */
function runnableGuideBlock(text: string, replacements: readonly [string, string][], extension: 'ts' | 'mjs' = 'ts'): string {
  const imports = [
    "import { Runometer } from '@runometer/core';",
    "import { MemoryPreset } from '@runometer/preset-memory';",
    "import { OtherPreset } from '@runometer/preset-other';",
    "import { SocketsPreset } from '@runometer/preset-sockets';",
    "import { ThreadsPreset } from '@runometer/preset-threads';",
    "import { serve } from '@runometer/server-hono';",
  ];
  const code = replacements.reduce((block, [from, to]) => replaceOnce(block, from, to), guideBlock('ts', text));
  // Under the repository, so that @runometer/* resolve to its packages.
  const cache = fileURLToPath(new URL('../node_modules/.cache/', import.meta.url));
  mkdirSync(cache, { recursive: true });
  const dir = mkdtempSync(join(cache, 'runometer-guide-'));
  const file = join(dir, `block.${extension}`);
  writeFileSync(file, `${imports.join('\n')}\n${code}`);
  return file;
}

/** The values of `tag` on the lines served on `port`, once `count` of them are there, or after 20 s. */
async function tagValuesServed(port: number, tag: string, count: number): Promise<string[]> {
  let values: string[] = [];
  for (let attempt = 0; attempt < 40 && values.length < count; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const body = await fetch(`http://127.0.0.1:${port}/`).then(
      (response) => response.text(),
      () => '',
    );
    values = [...new Set([...body.matchAll(new RegExp(`^checkout,(?:[^ ]*,)?${tag}=(\\w+)`, 'gm'))].map(([, value]) => value!))].sort();
  }
  return values;
}

test("the guide's clustered service, run on Bun, serves its primary's lines and each worker's through one endpoint", async () => {
  const port = await freePort();
  const file = runnableGuideBlock('clusterSource(meter)', [
    ['availableParallelism()', '2'],
    ['{ port: 8890 }', `{ port: ${port} }`],
  ]);
  const [command, ...args] = launch('bun', file, { packages: 'sources' });
  // Its own process group: the primary and its workers are stopped together.
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  try {
    expect(await tagValuesServed(port, 'worker', 3)).toEqual(['1', '2', 'primary']);
  } finally {
    process.kill(-child.pid!, 'SIGKILL');
    rmSync(dirname(file), { recursive: true, force: true });
  }
});

test("the guide's worker-thread example, run on Node, serves the main thread's lines and the worker thread's", async () => {
  await buildPackages();
  const port = await freePort();
  const file = runnableGuideBlock(
    'threadsSource(meter)',
    [
      ['{ port: 8890 }', `{ port: ${port} }`],
      ["// … the thread's work", 'setInterval(() => {}, 1000); //'],
    ],
    'mjs',
  );
  const child = spawn(process.execPath, [file], { stdio: 'ignore' });
  try {
    expect(await tagValuesServed(port, 'thread', 2)).toEqual(['1', 'main']);
  } finally {
    child.kill('SIGKILL');
    rmSync(dirname(file), { recursive: true, force: true });
  }
}, 120_000);

describe("a real InfluxDB 1.6, fed as Telegraf would, answers the guide's InfluxQL ranking", () => {
  let influx: InfluxDB;

  beforeAll(async () => {
    influx = await startInfluxDB();
    await influx.query('fleet', 'CREATE DATABASE fleet');
  });

  afterAll(async () => {
    await influx?.stop();
  });

  test('one row for each instance, by its url tag', async () => {
    const urls = [...demos.values()].map(({ port }) => `http://127.0.0.1:${port}/`);
    for (const url of urls) {
      // Telegraf's inputs.http: GET the endpoint, add the url tag to every line, write the lines.
      const body = await (await fetch(url)).text();
      const lines = body.split('\n').filter((line) => line !== '');
      expect(lines.every((line) => line.startsWith(`${DEMO_MEASUREMENT},`))).toBe(true);
      const tagged = lines.map((line) => line.replace(`${DEMO_MEASUREMENT},`, `${DEMO_MEASUREMENT},url=${url},`)).join('\n');
      expect(await influx.write('fleet', tagged)).toEqual({ status: 204, text: '' });
    }
    const [result] = await influx.query('fleet', guideBlock('sql', 'top(').trim());
    expect(result!.error).toBeUndefined();
    const [series] = result!.series!;
    expect(series!.columns).toEqual(['time', 'top', 'url']);
    expect(series!.values.map(([, p99, url]) => [typeof p99, url]).sort()).toEqual(urls.map((url) => ['number', url]).sort());
  });

  test("the guide's pushing job, run on Bun, leaves its points and its pusher's health in InfluxDB under its instance tag", async () => {
    await influx.query('fleet', 'CREATE DATABASE pushed');
    const file = runnableGuideBlock('new Pusher(', [
      ["'http://10.0.0.5:8086'", `'${influx.url}'`],
      ["database: 'runometer'", "database: 'pushed'"],
    ]);
    try {
      const [command, ...args] = launch('bun', file, { packages: 'sources' });
      const run = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
      expect([run.status, run.stderr]).toEqual([0, '']);
    } finally {
      rmSync(dirname(file), { recursive: true, force: true });
    }
    const [result] = await influx.query(
      'pushed',
      'SELECT "push_points_sent_total", "push_buffered_points", "rss_bytes" FROM "checkout" GROUP BY "instance", "app"',
    );
    expect(result!.error).toBeUndefined();
    const [series] = result!.series!;
    expect(series!.tags).toEqual({ instance: `${hostname()}/nightly-export`, app: 'nightly-export' });
    // A render at start() and one at close(); each counts the points before it as sent or still buffered.
    expect(series!.values.map(([, sent, buffered, rss]) => [Number(sent) + Number(buffered), typeof rss])).toEqual([
      [0, 'number'],
      [1, 'number'],
    ]);
  });
});
