import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, retryWhilePortTaken } from './ports.js';
import { startServer } from './server-process.js';

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
export function startInfluxDB(): Promise<InfluxDB> {
  return retryWhilePortTaken(startInfluxDBOnce);
}

async function startInfluxDBOnce(): Promise<InfluxDB> {
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
  const url = `http://127.0.0.1:${httpPort}`;
  const { stop } = await startServer({
    name: `influxd on ${url}`,
    command: 'influxd',
    args: ['-config', join(dir, 'influxdb.conf'), '-pidfile', pidFile],
    dir,
    ready: async () => (await fetch(`${url}/ping`)).status === 204,
    pid: () => {
      try {
        return Number(readFileSync(pidFile, 'utf8'));
      } catch {
        return undefined; // influxd did not get as far as its pid file: the spawned process is the one.
      }
    },
  });

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
