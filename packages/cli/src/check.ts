import { redactUrl } from '@runometer/core';
import { authOption, httpUrl, parseOptions, type Auth } from './command-line.js';
import { printable } from './control-characters.js';
import { expectedFields } from './expected-fields.js';
import { partialScrapes } from './partial-scrapes.js';
import { lintLineProtocol } from './lint-line-protocol.js';
import { lintPrometheus, unstableFieldTypes } from '@runometer/core/testing';
import { readBody } from './read-body.js';
import { UsageError } from './usage-error.js';

/** What Prometheus 2.42 sends: OpenMetrics first, the text format as a fallback. */
export const PROMETHEUS_ACCEPT = 'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** An endpoint that could not be scraped: `runometer check` exits with status 2. */
export class ScrapeError extends Error {
  override name = 'ScrapeError';
}

export type CheckFormat = 'influx' | 'prometheus';

export interface CheckOptions {
  /** Both by default. */
  readonly formats?: readonly CheckFormat[];
  readonly auth?: Auth;
}

function authorization(auth: Auth | undefined): Record<string, string> {
  if (auth === undefined) return {};
  if ('token' in auth) return { authorization: `Bearer ${auth.token}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

export interface CheckReport {
  /** What was checked, for the reader. */
  readonly notes: readonly string[];
  /** What is wrong, each prefixed with the scrape it came from. */
  readonly findings: readonly string[];
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Telegraf's default timeout, for the whole answer, body included. */
const TIMEOUT_MS = 5000;

/**
 * The most of a body `check` reads, after decompression: 32 MiB. A scrape of the four presets is
 * about 10 KB, and a cluster's primary takes at most 4 MiB from each worker; linting holds many
 * times the body in memory (a 250 MB body took 4.3 GB, and a 1.2 MB gzip bomb 700 MB).
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Of an error's body, what the message shows. */
const ERROR_BODY_CHARACTERS = 200;

async function scrape(url: string, headers: Record<string, string>): Promise<{ body: string; contentType: string }> {
  const shown = redactUrl(url);
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    // Telegraf's success_status_codes default, and what Prometheus takes as a successful scrape.
    if (response.status !== 200) {
      // Up to 4 bytes a character: enough for the characters shown.
      const { text } = await readBody(response, 4 * ERROR_BODY_CHARACTERS);
      throw new ScrapeError(`${shown} answered ${response.status} ${printable(response.statusText)}: ${printable(text.slice(0, ERROR_BODY_CHARACTERS))}`);
    }
    const { text, complete } = await readBody(response, MAX_BODY_BYTES);
    if (!complete) throw new ScrapeError(`${shown}: the body (decompressed) passes ${MAX_BODY_BYTES / 1024 / 1024} MiB, the most runometer check reads (MAX_BODY_BYTES)`);
    return { body: text, contentType: response.headers.get('content-type') ?? '' };
  } catch (error) {
    if (error instanceof ScrapeError) throw error;
    if ((error as Error).name === 'TimeoutError') throw new ScrapeError(`could not scrape ${shown}: no complete answer within ${TIMEOUT_MS / 1000} s`);
    const cause = (error as Error & { cause?: Error }).cause;
    throw new ScrapeError(`could not scrape ${shown}: ${printable((cause ?? (error as Error)).message)}`);
  }
}

/** Scrapes `url` as Telegraf (twice, to compare field types) and as Prometheus, and lints what comes back. */
export async function check(url: string, { formats = ['influx', 'prometheus'], auth }: CheckOptions = {}): Promise<CheckReport> {
  httpUrl('URL', url);
  const { username, password } = new URL(url);
  // fetch refuses them, and its message repeated the URL, password and all.
  if (username !== '' || password !== '') throw new UsageError(`URL "${redactUrl(url)}" holds credentials: give them with --username and --password`);
  // Telegraf's http input sends no Accept header.
  const telegraf = authorization(auth);
  const notes: string[] = [];
  const findings: string[] = [];
  if (formats.includes('influx')) {
    const first = lintLineProtocol((await scrape(url, telegraf)).body);
    const second = lintLineProtocol((await scrape(url, telegraf)).body);
    const { runtime, known, findings: fields } = expectedFields(first.lines);
    notes.push(
      `influx: ${count(first.lines.length, 'line')}, ${count(new Set(first.lines.flatMap((line) => Object.keys(line.fields))).size, 'field key')}, ` +
        (runtime === undefined
          ? 'no runtime tag (fields not checked against the catalog)'
          : known === undefined
            ? `runtime ${runtime}, never checked (fields not checked against the catalog)`
            : `runtime ${runtime}`),
    );
    // A body broken the same way twice is one finding.
    const influx = new Set([
      ...first.findings,
      ...second.findings,
      ...unstableFieldTypes([first.lines, second.lines], 'scrape'),
      ...fields,
      ...partialScrapes(first.lines),
    ]);
    findings.push(...[...influx].map((finding) => `influx: ${finding}`));
  }
  if (formats.includes('prometheus')) {
    const { body, contentType } = await scrape(url, { ...telegraf, accept: PROMETHEUS_ACCEPT });
    const openMetrics = contentType.startsWith('application/openmetrics-text');
    notes.push(`prometheus: ${openMetrics ? 'OpenMetrics' : `"${contentType}"`}, ${count(body.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length, 'sample')}`);
    findings.push(...lintPrometheus(body, openMetrics).map((finding) => `prometheus: ${finding}`));
  }
  // The endpoint's words: shown, never acted on by a terminal.
  return { notes: notes.map(printable), findings: findings.map(printable) };
}

const OPTIONS = {
  format: { type: 'string' },
  token: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
} as const;

/** `runometer check URL [--format influx|prometheus] [--token T | --username U --password P]`: the report's text and the exit status (0 clean, 1 findings). */
export async function checkCommand(args: readonly string[]): Promise<{ text: string; status: 0 | 1 }> {
  const { values, positionals } = parseOptions('check', args, OPTIONS, 1);
  const [url] = positionals;
  if (url === undefined) throw new UsageError('give the URL of an endpoint: runometer check URL');
  const format = values.format;
  if (format !== undefined && format !== 'influx' && format !== 'prometheus') throw new UsageError(`--format "${format}" is neither influx nor prometheus`);
  const { notes, findings } = await check(url, { ...(format === undefined ? {} : { formats: [format] }), ...authOption(values) });
  const summary = `${redactUrl(url)}: ${findings.length === 0 ? 'clean' : count(findings.length, 'finding')}`;
  return { text: [...notes, ...findings.map((finding) => `✗ ${finding}`), summary].join('\n') + '\n', status: findings.length === 0 ? 0 : 1 };
}
