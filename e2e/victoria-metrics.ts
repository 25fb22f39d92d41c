import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, retryWhilePortTaken } from './ports.js';
import { promqlClient, type PromQLClient } from './promql.js';
import { startServer, type ServerProcess } from './server-process.js';

const INSTALL_HINT = 'install the Debian package: apt-get install -y --no-install-recommends victoria-metrics (.ci/run does)';

function found(command: string): void {
  if (spawnSync(command, ['-version']).error) throw new Error(`${command} was not found on PATH: ${INSTALL_HINT}`);
}

export interface VictoriaMetrics extends PromQLClient {
  readonly url: string;
  /** Where vmagent remote-writes: `/api/v1/write`. */
  readonly writeUrl: string;
  /**
   * POSTs line protocol to /write (the InfluxDB push path); resolves to the status and the error
   * text, if any. With a database, as Telegraf's outputs.influxdb sends it, series get a `db` label.
   */
  write(body: string, database?: string): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

/**
 * Starts a real VictoriaMetrics on 127.0.0.1, its data in a temporary directory, scraping as
 * `scrapeConfig` (Prometheus YAML) says when given. Points are visible to queries at once
 * (`-search.latencyOffset=0s`; by default they stay hidden for 30 s).
 */
export function startVictoriaMetrics(options: { scrapeConfig?: string } = {}): Promise<VictoriaMetrics> {
  return retryWhilePortTaken(() => startVictoriaMetricsOnce(options));
}

async function startVictoriaMetricsOnce({ scrapeConfig }: { scrapeConfig?: string }): Promise<VictoriaMetrics> {
  found('victoria-metrics');
  const dir = mkdtempSync(join(tmpdir(), 'runometer-victoria-metrics-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `-storageDataPath=${join(dir, 'data')}`,
    `-httpListenAddr=127.0.0.1:${port}`,
    '-search.latencyOffset=0s',
    '-loggerLevel=ERROR',
  ];
  if (scrapeConfig !== undefined) {
    writeFileSync(join(dir, 'scrape.yml'), scrapeConfig);
    args.push(`-promscrape.config=${join(dir, 'scrape.yml')}`);
  }
  const { stop } = await startServer({
    name: `victoria-metrics on ${url}`,
    command: 'victoria-metrics',
    args,
    dir,
    ready: async () => (await fetch(`${url}/health`)).status === 200,
  });
  return {
    url,
    writeUrl: `${url}/api/v1/write`,
    ...promqlClient(url),
    async write(body, database) {
      const response = await fetch(`${url}/write${database === undefined ? '' : `?${new URLSearchParams({ db: database })}`}`, {
        method: 'POST',
        body,
      });
      return { status: response.status, text: await response.text() };
    },
    stop,
  };
}

/** Starts a real vmagent on 127.0.0.1 that scrapes with `configFile` and remote-writes to `writeUrl`. */
export function startVmagent(configFile: string, writeUrl: string): Promise<ServerProcess> {
  return retryWhilePortTaken(() => startVmagentOnce(configFile, writeUrl));
}

async function startVmagentOnce(configFile: string, writeUrl: string): Promise<ServerProcess> {
  found('vmagent');
  const dir = mkdtempSync(join(tmpdir(), 'runometer-vmagent-'));
  const address = `127.0.0.1:${await freePort()}`;
  return startServer({
    name: `vmagent on ${address}`,
    command: 'vmagent',
    args: [
      `-promscrape.config=${configFile}`,
      `-remoteWrite.url=${writeUrl}`,
      `-remoteWrite.tmpDataPath=${join(dir, 'queue')}`,
      '-remoteWrite.flushInterval=500ms',
      '-promscrape.fileSDCheckInterval=1s',
      `-httpListenAddr=${address}`,
    ],
    dir,
    ready: async () => (await fetch(`http://${address}/health`)).status === 200,
  });
}
