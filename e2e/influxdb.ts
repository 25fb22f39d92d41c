import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export interface InfluxDB {
  readonly url: string;
  /** POSTs a body to /write; resolves to the status and the error text, if any. */
  write(database: string, body: string): Promise<{ status: number; text: string }>;
  /**
   * Runs InfluxQL and returns the parsed JSON `results`. With `exactIntegers`, integers of 16
   * digits or more come back as strings (for results that hold no string values).
   */
  query(database: string, q: string, options?: { exactIntegers?: boolean }): Promise<QueryResult[]>;
  stop(): Promise<void>;
}

export interface QueryResult {
  error?: string;
  series?: { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }[];
}

const INSTALL_HINT = 'install the Debian package: apt-get install -y --no-install-recommends influxdb (.ci/run does)';

/** Starts a real InfluxDB 1.x on 127.0.0.1 with its data in a temporary directory. */
export async function startInfluxDB(): Promise<InfluxDB> {
  const found = spawnSync('influxd', ['version'], { encoding: 'utf8' });
  if (found.error) throw new Error(`influxd was not found on PATH: ${INSTALL_HINT}`);
  const dir = mkdtempSync(join(tmpdir(), 'runometer-influxdb-'));
  const [httpPort, rpcPort] = [await freePort(), await freePort()];
  writeFileSync(
    join(dir, 'influxdb.conf'),
    `reporting-enabled = false
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${dir}/meta"
[data]
  dir = "${dir}/data"
  wal-dir = "${dir}/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = false
  log-enabled = false
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
`,
  );
  const pidFile = join(dir, 'influxd.pid');
  const child = spawn('influxd', ['-config', join(dir, 'influxdb.conf'), '-pidfile', pidFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${httpPort}`;

  const stop = async () => {
    let pid = child.pid;
    try {
      pid = Number(readFileSync(pidFile, 'utf8'));
    } catch {
      // influxd did not get as far as writing its pid file: the child's pid is the one.
    }
    if (child.exitCode === null && pid !== undefined) process.kill(pid, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`influxd exited with code ${child.exitCode} before it answered /ping:\n${log}`);
    }
    const ping = await fetch(`${url}/ping`).catch(() => undefined);
    if (ping?.status === 204) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`influxd did not answer /ping on ${url} within 15 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const query = async (database: string, q: string, { exactIntegers = false } = {}): Promise<QueryResult[]> => {
    const response = await fetch(`${url}/query?${new URLSearchParams({ db: database, q })}`, { method: 'POST' });
    const text = await response.text();
    if (!response.ok) throw new Error(`query ${q} answered ${response.status}: ${text}`);
    // JSON.parse would round int64 values beyond 2^53: quote long integer literals first.
    return JSON.parse(exactIntegers ? text.replace(/([:[,])(-?\d{16,})(?=[,\]}])/g, '$1"$2"') : text).results;
  };

  return {
    url,
    query,
    async write(database, body) {
      const response = await fetch(`${url}/write?${new URLSearchParams({ db: database, precision: 'ns' })}`, { method: 'POST', body });
      return { status: response.status, text: await response.text() };
    },
    stop,
  };
}
