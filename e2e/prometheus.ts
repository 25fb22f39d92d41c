import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, retryWhilePortTaken } from './ports.js';
import { startServer } from './server-process.js';

const INSTALL_HINT = 'install the Debian package: apt-get install -y --no-install-recommends prometheus (.ci/run does)';

function found(command: string): void {
  if (spawnSync(command, ['--version']).error) throw new Error(`${command} was not found on PATH: ${INSTALL_HINT}`);
}

/** `promtool check metrics` on a body: its exit code and what it printed. */
export function promtoolCheckMetrics(body: string): { status: number | null; output: string } {
  found('promtool');
  const result = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}

export interface Prometheus {
  /** Its HTTP API's base, `http://127.0.0.1:<port>`: for `promqlClient(url)` and the API's other endpoints. */
  readonly url: string;
  /** Runs an instant query through the HTTP API and gives its result vector. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/**
 * Starts a real Prometheus on 127.0.0.1 with the given configuration (YAML), its data in a
 * temporary directory; `flags` are more of its command line (`--enable-feature=native-histograms`).
 */
export function startPrometheus(config: string, flags: readonly string[] = []): Promise<Prometheus> {
  return retryWhilePortTaken(() => startPrometheusOnce(config, flags));
}

async function startPrometheusOnce(config: string, flags: readonly string[]): Promise<Prometheus> {
  found('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'runometer-prometheus-'));
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const url = `http://127.0.0.1:${port}`;
  const { stop } = await startServer({
    name: `prometheus on ${url}`,
    command: 'prometheus',
    args: [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...flags,
    ],
    dir,
    ready: async () => (await fetch(`${url}/-/ready`)).status === 200,
  });
  return {
    url,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
      const body = (await response.json()) as { status: string; data: { result: [] }; error?: string };
      if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
      return body.data.result;
    },
    stop,
  };
}
