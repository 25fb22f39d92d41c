import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../test/run-cli.js';
import { printable } from './control-characters.js';

/**
 * Debian's python3 (bookworm's 3.11 has tomllib) with Debian's python3-yaml (PyYAML), which
 * .ci/run installs when missing: another python3 on PATH (pyenv's) may not see Debian's packages.
 */
const PYTHON = '/usr/bin/python3';
const NEEDS = `needs ${PYTHON} 3.11 or later (tomllib) and PyYAML: apt-get install python3 python3-yaml`;

/** What python3's `load` (a module's function of a string) makes of each document: one process for all of them. */
function pythonLoads(load: string, documents: readonly string[]): { stdout: string; stderr: string } {
  const [module] = load.split('.');
  const script = `import sys, json, ${module}; print(json.dumps([${load}(text) for text in json.load(sys.stdin)]))`;
  const { stdout, stderr, error } = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(documents), encoding: 'utf8' });
  return { stdout, stderr: error === undefined ? stderr : String(error) };
}

const INJECTED = 'x\n[[outputs.file]]\n  files = ["/tmp/pwn"]';
const REFUSED = 'a value in a generated file takes no control character (C0, DEL, C1, U+2028, U+2029, bidi controls)';
const usage = (message: string) => `runometer: ${message}\nrunometer --help prints the usage\n`;

describe('control characters in the values of a generated file', () => {
  const telegraf = ['--url', 'http://a:1/'];
  it.each([
    [['--tag', `env=${INJECTED}`], '--tag env holds control character U+000A at character 2'],
    [['--tag', 'env=a\u007fb'], '--tag env holds control character U+007F at character 2'],
    [['--tag', 'env=a\u0085b'], '--tag env holds control character U+0085 at character 2'],
    [['--tag', 'env=a\u009b2Jb'], '--tag env holds control character U+009B at character 2'],
    [['--tag', 'env=a\u202eb'], '--tag env holds control character U+202E at character 2'],
    [['--name-override', INJECTED], '--name-override holds control character U+000A at character 2'],
    [['--username', 'u', '--password', `p${INJECTED}`], '--password holds control character U+000A at character 3'],
    [['--token', `t\r${INJECTED}`], '--token holds control character U+000D at character 2'],
    [['--database', INJECTED], '--database holds control character U+000A at character 2'],
    [
      ['--output', 'influxdb_v2', '--organization', INJECTED, '--bucket', 'b'],
      '--organization holds control character U+000A at character 2',
    ],
    [['--output', 'influxdb_v2', '--organization', 'o', '--bucket', '\tb'], '--bucket holds control character U+0009 at character 1'],
    [['--influxdb-url', 'http://i:8086/\u2028'], '--influxdb-url holds control character U+2028 at character 15'],
  ])('telegraf %j: exit 2, naming the option and the character, never echoing the value', async (args, message) => {
    expect(await runCli('telegraf', ...telegraf, ...args)).toEqual({ status: 2, stdout: '', stderr: usage(`${message}: ${REFUSED}`) });
  });

  it.each([
    [['--url', 'http://a:1/\n[[outputs.file]]'], '--url holds control character U+000A at character 12'],
    [['--url', 'http://a:1/\u007f'], '--url holds control character U+007F at character 12'],
    [['--url', '\u0000http://a:1/'], '--url holds control character U+0000 at character 1'],
  ])('telegraf %j: a URL is checked as written, before the URL parser strips what Go would refuse', async (args, message) => {
    expect(await runCli('telegraf', ...args)).toEqual({ status: 2, stdout: '', stderr: usage(`${message}: ${REFUSED}`) });
  });

  it.each([
    [['--url', ' http://a:1/'], '--url " http://a:1/" holds a space'],
    [['--url', 'http://a:1/x y'], '--url "http://a:1/x y" holds a space'],
    [['--url', 'http:\\\\a:1\\'], '--url "http:\\\\a:1\\" holds a backslash'],
  ])('telegraf %j: what the URL parser would rewrite is refused, since the text is what the file holds', async (args, message) => {
    expect(await runCli('telegraf', ...args)).toEqual({
      status: 2,
      stdout: '',
      stderr: usage(`${message}, which the URL parser rewrites and Go's refuses: percent-encode it`),
    });
  });

  const prometheus = ['--target', 'a:1'];
  it.each([
    [['--job', INJECTED], '--job holds control character U+000A at character 2'],
    [['--label', `app=${INJECTED}`], '--label app holds control character U+000A at character 2'],
    [['--label', 'app=a\u0085b'], '--label app holds control character U+0085 at character 2'],
    [['--metrics-path', '/m\n    remote_write: x'], '--metrics-path holds control character U+000A at character 3'],
    [['--metrics-path', '/m\u007f'], '--metrics-path holds control character U+007F at character 3'],
    [['--file-sd', '/tmp/t\u2029.json'], '--file-sd holds control character U+2029 at character 7'],
  ])('prometheus %j: exit 2, naming the option and the character', async (args, message) => {
    expect(await runCli('prometheus', ...prometheus, ...args)).toEqual({ status: 2, stdout: '', stderr: usage(`${message}: ${REFUSED}`) });
  });

  it('refuses them in the entries of a list file too', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'runometer-cli-')), 'targets');
    writeFileSync(file, 'a:1\nb:2\u0085c:3\n');
    expect(await runCli('prometheus', '--targets-file', file)).toEqual({
      status: 2,
      stdout: '',
      stderr: usage(`--targets-file ${file}, line 2, holds control character U+0085 at character 4: ${REFUSED}`),
    });
  });
});

describe('the # Generated by: comment', () => {
  const dir = mkdtempSync(join(tmpdir(), 'runometer-cli-'));
  /** A list file in a directory whose name holds `separator`: its path reaches the comment alone, no value of the file. */
  function listIn(separator: string, entries: string): string {
    const folder = join(dir, `x${separator}[[outputs.file]]${separator}files = ["pwn"]${separator}scrape_configs: []${separator}#`);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'list');
    writeFileSync(file, entries);
    return file;
  }

  it("quotes an argument holding control characters as $'…' with escapes: the comment stays one line", async () => {
    const file = listIn('\n', 'http://a:1/\n');
    const { status, stdout } = await runCli('telegraf', '--urls-file', file, '--tag', 'env=it\'s "b" #c');
    expect(status).toBe(0);
    expect(stdout.split('\n')[0]).toBe(
      `# Generated by: runometer telegraf --urls-file $'${file.replaceAll('\n', '\\n')}' --tag 'env=it'\\''s "b" #c'`,
    );
    expect(stdout.split('\n')[1]).toBe('[agent]');
  });

  it("leaves tomllib (TOML 1.0) exactly the file's tables, whatever the comment holds", async () => {
    const separators = ['\n', '\r', '\u007f', '\u0085', '\u2028'];
    const files = await Promise.all(
      separators.map(
        async (separator) =>
          (await runCli('telegraf', '--urls-file', listIn(separator, 'http://a:1/\n'), '--tag', 'env=é "q" \\ #')).stdout,
      ),
    );
    const { stdout, stderr } = pythonLoads('tomllib.loads', files);
    expect(stderr, NEEDS).toBe('');
    expect(JSON.parse(stdout)).toEqual(
      separators.map(() => ({
        agent: { interval: '10s', round_interval: true, flush_interval: '10s' },
        inputs: { http: [{ urls: ['http://a:1/'], method: 'GET', data_format: 'influx', timeout: '5s', tags: { env: 'é "q" \\ #' } }] },
        outputs: { influxdb: [{ urls: ['http://127.0.0.1:8086'], database: 'runometer' }] },
      })),
    );
  });

  it('leaves a YAML 1.1 reader (PyYAML) exactly the scrape config, even at U+0085, U+2028 and U+2029', async () => {
    const separators = ['\n', '\r', '\u0085', '\u2028', '\u2029'];
    const files = await Promise.all(
      separators.map(
        async (separator) => (await runCli('prometheus', '--targets-file', listIn(separator, 'a:1\n'), '--label', 'env=é "q" \\ #')).stdout,
      ),
    );
    // PyYAML reads YAML 1.1, whose line breaks include U+0085, U+2028 and U+2029: a comment ends there.
    const { stdout, stderr } = pythonLoads('yaml.safe_load', files);
    expect(stderr, NEEDS).toBe('');
    expect(JSON.parse(stdout)).toEqual(
      separators.map(() => ({
        scrape_configs: [
          {
            job_name: 'runometer',
            scrape_interval: '15s',
            metrics_path: '/metrics',
            static_configs: [{ targets: ['a:1'], labels: { env: 'é "q" \\ #' } }],
          },
        ],
      })),
    );
  });
});

describe('printable', () => {
  it.each([
    ['plain text, é, 😀', 'plain text, é, 😀'],
    ['\u001b]0;pwned\u0007\u001b[2Jclean\r\n', '\\x1b]0;pwned\\x07\\x1b[2Jclean\\r\\n'],
    ['\t\u0000\u007f\u0085\u009b', '\\t\\x00\\x7f\\x85\\x9b'],
    ['a\u2028b\u2029c\u202ed\u2066e', 'a\\u2028b\\u2029c\\u202ed\\u2066e'],
  ])('%j → %j', (text, shown) => {
    expect(printable(text)).toBe(shown);
    expect(printable(printable(text))).toBe(shown);
  });
});
