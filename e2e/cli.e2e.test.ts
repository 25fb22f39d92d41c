import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../packages/cli/test/run-cli.js';
import { launch, RUNTIMES, type Runtime } from '../tools/runtimes.js';
import { startInfluxDB } from './influxdb.js';
import { startVictoriaMetrics, startVmagent } from './victoria-metrics.js';
import { buildPackages } from '../test/runtimes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `promtool check config` on a file: its exit status and what it printed. */
function promtoolCheckConfig(file: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
  if (result.error) throw new Error('promtool was not found on PATH: apt-get install -y --no-install-recommends prometheus (.ci/run does)');
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

interface Demo {
  readonly runtime: Runtime;
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** `npm start`'s demo (examples/demo/start.js over the built packages) on `runtime`, on a free loopback port. */
async function startDemo(runtime: Runtime): Promise<Demo> {
  const [command, ...args] = launch(runtime, `${root}examples/demo/start.js`);
  const child = spawn(command, args, { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  };
  const banner = await Promise.race([
    new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve)),
    exited.then(() => ''),
    new Promise<string>((resolve) => setTimeout(() => resolve(''), 30_000)),
  ]);
  const url = /^Runometer serves (http:\/\/127\.0\.0\.1:(\d+)\/) /.exec(banner);
  if (url === null) {
    await stop();
    throw new Error(`the demo on ${runtime} did not start: ${JSON.stringify(banner)}`);
  }
  return { runtime, url: url[1]!, port: Number(url[2]), stop };
}

// Three demo instances, on Node, Bun and Deno, each serving the four presets on its own port.
const demos: Demo[] = [];
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runometer-cli-e2e-'));
  // The demo runs over the built packages: build them (the build writes nothing when they are up to date).
  await buildPackages();
  demos.push(...(await Promise.all(RUNTIMES.map(startDemo))));
}, 180_000);
afterAll(async () => {
  await Promise.all(demos.map((demo) => demo.stop()));
  rmSync(dir, { recursive: true, force: true });
});

const targets = () => demos.map((demo) => `127.0.0.1:${demo.port}`);

describe('runometer prometheus', () => {
  test('prints a config promtool 2.42 accepts, static or with file_sd (and its targets file)', async () => {
    const fixed = await runCli('prometheus', ...targets().flatMap((target) => ['--target', target]), '--label', 'app=demo');
    writeFileSync(join(dir, 'static.yml'), fixed.stdout);
    expect(promtoolCheckConfig(join(dir, 'static.yml'))).toMatchObject({ status: 0 });

    const fileSd = await runCli(
      'prometheus',
      ...targets().flatMap((target) => ['--target', target]),
      '--file-sd',
      join(dir, 'targets.json'),
    );
    writeFileSync(join(dir, 'file-sd.yml'), fileSd.stdout);
    expect(promtoolCheckConfig(join(dir, 'file-sd.yml'))).toMatchObject({ status: 0 });
  });

  test("promtool 2.42 accepts examples/prometheus-grafana's prometheus.yml", () => {
    expect(promtoolCheckConfig(`${root}examples/prometheus-grafana/prometheus.yml`)).toMatchObject({ status: 0 });
  });

  test('promtool rejects what the file_sd targets file must not hold (the check can fail)', async () => {
    writeFileSync(join(dir, 'bad.yml'), (await runCli('prometheus', '--target', 'a:1', '--file-sd', join(dir, 'bad-targets.json'))).stdout);
    writeFileSync(join(dir, 'bad-targets.json'), '[{"targets": ["a:1"], "labels": {"0bad": "x"}}]');
    expect(promtoolCheckConfig(join(dir, 'bad.yml'))).toMatchObject({ status: 1, output: expect.stringContaining('0bad') });
  });

  test('a real vmagent scrapes the three instances through the file_sd config and VictoriaMetrics holds their series', async () => {
    const generated = await runCli(
      'prometheus',
      ...targets().flatMap((target) => ['--target', target]),
      '--file-sd',
      join(dir, 'vmagent-targets.json'),
      '--interval',
      '1s',
      '--label',
      'env=e2e',
    );
    expect(generated.status).toBe(0);
    writeFileSync(join(dir, 'vmagent.yml'), generated.stdout);
    const victoria = await startVictoriaMetrics();
    try {
      const vmagent = await startVmagent(join(dir, 'vmagent.yml'), victoria.writeUrl);
      try {
        const query = 'runometer_demo_rss_bytes{job="runometer",env="e2e"}';
        let result: Awaited<ReturnType<typeof victoria.query>> = [];
        // Bounded: 30 s for three instances' first scrapes to be written and queryable.
        for (let tries = 0; tries < 60 && result.length < 3; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          result = await victoria.query(query);
        }
        expect(result.map(({ metric }) => metric['instance']).sort()).toEqual(targets().sort());
        for (const { metric, values } of result) {
          const runtime = demos.find((demo) => `127.0.0.1:${demo.port}` === metric['instance'])!.runtime;
          expect(metric).toMatchObject({ app: 'demo', env: 'e2e', job: 'runometer', runtime });
          expect(Number(values[0]?.[1])).toBeGreaterThan(0);
        }
      } finally {
        await vmagent.stop();
      }
    } finally {
      await victoria.stop();
    }
  });
});

describe('runometer telegraf', () => {
  test("its telegraf.conf's URLs, scraped as Telegraf's http input does, fill its database in a real InfluxDB 1.6 with the three instances", async () => {
    const conf = (await runCli('telegraf', ...demos.flatMap((demo) => ['--url', demo.url]), '--database', 'fleet')).stdout;
    // What Telegraf reads from the file: the input's urls and the output's database.
    const urls = [.../\[\[inputs\.http\]\]\n {2}urls = \[\n((?: {4}".*",\n)+)/.exec(conf)![1]!.matchAll(/"(.*)"/g)].map(
      (match) => match[1]!,
    );
    const database = /\[\[outputs\.influxdb\]\]\n.*\n {2}database = "(.*)"/.exec(conf)![1]!;
    expect(urls).toEqual(demos.map((demo) => demo.url));
    const influx = await startInfluxDB();
    try {
      await influx.query(database, `CREATE DATABASE ${database}`);
      for (const url of urls) {
        const response = await fetch(url);
        expect(response.status).toBe(200);
        expect(await influx.write(database, await response.text())).toMatchObject({ status: 204 });
      }
      const [result] = await influx.query(database, 'SHOW TAG VALUES FROM runometer_demo WITH KEY = "runtime"');
      expect(result!.series![0]!.values.map(([, runtime]) => runtime).sort()).toEqual([...RUNTIMES].sort());
    } finally {
      await influx.stop();
    }
  });
});

describe('runometer check', () => {
  test.each(RUNTIMES)(
    'finds the demo on %s clean, as Telegraf and as Prometheus read it, with the fields the catalog expects there',
    async (runtime) => {
      const demo = demos.find((candidate) => candidate.runtime === runtime)!;
      const { status, stdout } = await runCli('check', demo.url);
      expect(stdout).toContain(`, runtime ${runtime}\n`);
      expect(stdout.endsWith(`${demo.url}: clean\n`)).toBe(true);
      expect(status).toBe(0);
    },
  );
});
