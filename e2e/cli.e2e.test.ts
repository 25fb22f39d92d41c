import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../packages/cli/test/run-cli.js';
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve, type ServerHandle } from '@runometer/server-hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startVictoriaMetrics, startVmagent } from './victoria-metrics.js';

/** `promtool check config` on a file: its exit status and what it printed. */
function promtoolCheckConfig(file: string): { status: number | null; output: string } {
  const result = spawnSync('promtool', ['check', 'config', file], { encoding: 'utf8' });
  if (result.error) throw new Error('promtool was not found on PATH: apt-get install -y --no-install-recommends prometheus (.ci/run does)');
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

// Three demo meters (npm start's presets), each served by server-hono on its own loopback port.
const meters: Runometer[] = [];
const servers: ServerHandle[] = [];
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'runometer-cli-e2e-'));
  for (let i = 0; i < 3; i++) {
    const meter = new Runometer('runometer_demo').addTag('app', 'demo').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
    meters.push(meter);
    servers.push(await serve(meter, { port: 0 }));
  }
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(meters.map((meter) => meter.close()));
  rmSync(dir, { recursive: true, force: true });
});

const targets = () => servers.map((server) => `127.0.0.1:${server.port}`);

describe('runometer prometheus', () => {
  test('prints a config promtool 2.42 accepts, static or with file_sd (and its targets file)', async () => {
    const fixed = await runCli('prometheus', ...targets().flatMap((target) => ['--target', target]), '--label', 'app=demo');
    writeFileSync(join(dir, 'static.yml'), fixed.stdout);
    expect(promtoolCheckConfig(join(dir, 'static.yml'))).toMatchObject({ status: 0 });

    const fileSd = await runCli('prometheus', ...targets().flatMap((target) => ['--target', target]), '--file-sd', join(dir, 'targets.json'));
    writeFileSync(join(dir, 'file-sd.yml'), fileSd.stdout);
    expect(promtoolCheckConfig(join(dir, 'file-sd.yml'))).toMatchObject({ status: 0 });
  });

  test("promtool 2.42 accepts examples/prometheus-grafana's prometheus.yml", () => {
    expect(promtoolCheckConfig(fileURLToPath(new URL('../examples/prometheus-grafana/prometheus.yml', import.meta.url)))).toMatchObject({ status: 0 });
  });

  test('promtool rejects what the file_sd targets file must not hold (the check can fail)', async () => {
    writeFileSync(join(dir, 'bad.yml'), (await runCli('prometheus', '--target', 'a:1', '--file-sd', join(dir, 'bad-targets.json'))).stdout);
    writeFileSync(join(dir, 'bad-targets.json'), '[{"targets": ["a:1"], "labels": {"0bad": "x"}}]');
    expect(promtoolCheckConfig(join(dir, 'bad.yml'))).toMatchObject({ status: 1, output: expect.stringContaining('0bad') });
  });

  test('a real vmagent scrapes the three instances through the file_sd config and VictoriaMetrics holds their series', async () => {
    const generated = await runCli('prometheus', ...targets().flatMap((target) => ['--target', target]), '--file-sd', join(dir, 'vmagent-targets.json'), '--interval', '1s', '--label', 'env=e2e');
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
        for (const { metric, value } of result) {
          expect(metric).toMatchObject({ app: 'demo', env: 'e2e', job: 'runometer', runtime: 'node' });
          expect(Number(value[1])).toBeGreaterThan(0);
        }
      } finally {
        await vmagent.stop();
      }
    } finally {
      await victoria.stop();
    }
  });
});

describe('runometer check', () => {
  test('finds a demo instance clean, as Telegraf and as Prometheus read it', async () => {
    const { status, stdout } = await runCli('check', servers[0]!.url);
    expect(stdout.endsWith(`${servers[0]!.url}: clean\n`)).toBe(true);
    expect(status).toBe(0);
  });
});
