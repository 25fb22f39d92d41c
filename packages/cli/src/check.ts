import { authOption, httpUrl, parseOptions, type Auth } from './command-line.js';
import { expectedFields } from './expected-fields.js';
import { partialScrapes } from './partial-scrapes.js';
import { lintLineProtocol } from './lint-line-protocol.js';
import { lintPrometheus, unstableFieldTypes } from '@runometer/core/testing';
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

async function scrape(url: string, headers: Record<string, string>): Promise<{ body: string; contentType: string }> {
  let response: Response;
  try {
    // Telegraf's default timeout.
    response = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
  } catch (error) {
    const cause = (error as Error & { cause?: Error }).cause;
    throw new ScrapeError(`could not scrape ${url}: ${(cause ?? (error as Error)).message}`);
  }
  const body = await response.text();
  // Telegraf's success_status_codes default, and what Prometheus takes as a successful scrape.
  if (response.status !== 200) throw new ScrapeError(`${url} answered ${response.status} ${response.statusText}: ${body.slice(0, 200)}`);
  return { body, contentType: response.headers.get('content-type') ?? '' };
}

/** Scrapes `url` as Telegraf (twice, to compare field types) and as Prometheus, and lints what comes back. */
export async function check(url: string, { formats = ['influx', 'prometheus'], auth }: CheckOptions = {}): Promise<CheckReport> {
  httpUrl('URL', url);
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
  return { notes, findings };
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
  const summary = findings.length === 0 ? `${url}: clean` : `${url}: ${count(findings.length, 'finding')}`;
  return { text: [...notes, ...findings.map((finding) => `✗ ${finding}`), summary].join('\n') + '\n', status: findings.length === 0 ? 0 : 1 };
}
