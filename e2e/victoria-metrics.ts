import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { startServer, type ServerProcess } from './server-process.js';

const INSTALL_HINT = 'install the Debian package: apt-get install -y --no-install-recommends victoria-metrics (.ci/run does)';

function found(command: string): void {
  if (spawnSync(command, ['-version']).error) throw new Error(`${command} was not found on PATH: ${INSTALL_HINT}`);
}

export interface VictoriaMetrics extends ServerProcess {
  /** Where vmagent remote-writes: `/api/v1/write`. */
  readonly writeUrl: string;
  /** Runs an instant PromQL query and gives its result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
}

/** Starts a real VictoriaMetrics on 127.0.0.1, its data in a temporary directory. */
export async function startVictoriaMetrics(): Promise<VictoriaMetrics> {
  found('victoria-metrics');
  const dir = mkdtempSync(join(tmpdir(), 'runometer-victoria-metrics-'));
  const url = `http://127.0.0.1:${await freePort()}`;
  const { stop } = await startServer({
    name: `victoria-metrics on ${url}`,
    command: 'victoria-metrics',
    // Without -search.latencyOffset=0s, fresh points stay invisible to queries for 30 s.
    args: [`-storageDataPath=${join(dir, 'data')}`, `-httpListenAddr=${url.slice('http://'.length)}`, '-search.latencyOffset=0s'],
    dir,
    ready: async () => (await fetch(`${url}/health`)).status === 200,
  });
  return {
    writeUrl: `${url}/api/v1/write`,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
      const body = (await response.json()) as { status: string; data: { result: [] }; error?: string };
      if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
      return body.data.result;
    },
    stop,
  };
}

/** Starts a real vmagent on 127.0.0.1 that scrapes with `configFile` and remote-writes to `writeUrl`. */
export async function startVmagent(configFile: string, writeUrl: string): Promise<ServerProcess> {
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
