import { redactUrl } from '@runometer/core';
import { authOption, httpUrlWithoutCredentials, parseOptions, type Auth } from './command-line.js';
import { printable } from './control-characters.js';
import { expectedFields } from './expected-fields.js';
import { partialScrapes } from './partial-scrapes.js';
import { lintLineProtocol } from './lint-line-protocol.js';
import { lintPrometheus, unstableFieldTypes } from '@runometer/core/testing';
import { readBody } from './read-body.js';
import { UsageError } from './usage-error.js';

/** What Prometheus 2.42 sends: OpenMetrics first, the text format as a fallback. */
export const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

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
 * kilobytes (bench/presets.bench.js prints its bytes), and a cluster's primary takes at most 4 MiB from each worker; linting holds many
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
      throw new ScrapeError(
        `${shown} answered ${response.status} ${printable(response.statusText)}: ${printable(text.slice(0, ERROR_BODY_CHARACTERS))}`,
      );
    }
    const { text, complete } = await readBody(response, MAX_BODY_BYTES);
    if (!complete)
      throw new ScrapeError(
        `${shown}: the body (decompressed) passes ${MAX_BODY_BYTES / 1024 / 1024} MiB, the most runometer check reads (MAX_BODY_BYTES)`,
      );
    return { body: text, contentType: response.headers.get('content-type') ?? '' };
  } catch (error) {
    if (error instanceof ScrapeError) throw error;
    if ((error as Error).name === 'TimeoutError')
      throw new ScrapeError(`could not scrape ${shown}: no complete answer within ${TIMEOUT_MS / 1000} s`);
    const cause = (error as Error & { cause?: Error }).cause;
    // fetch's one word for a port of the Fetch standard's blocklist (1, 6000, 10080…), which browsers never connect to.
    if (cause?.message === 'bad port') {
      throw new ScrapeError(
        `could not scrape ${shown}: fetch, which runometer check scrapes with, refuses port ${new URL(url).port} ("bad port": the Fetch standard blocks it, as browsers do); Telegraf and Prometheus do not: serve the endpoint on another port to check it`,
      );
    }
    throw new ScrapeError(`could not scrape ${shown}: ${printable((cause ?? (error as Error)).message)}`);
  }
}

/** Scrapes `url` as Telegraf (twice, to compare field types) and as Prometheus, and lints what comes back. */
export async function check(url: string, { formats = ['influx', 'prometheus'], auth }: CheckOptions = {}): Promise<CheckReport> {
  // fetch refuses credentials in the URL, and its message repeated the URL, password and all.
  httpUrlWithoutCredentials('URL', url);
  // Telegraf's http input sends no Accept header.
  const telegraf = authorization(auth);
  const notes: string[] = [];
  const findings: string[] = [];
  if (formats.includes('influx')) {
    const { note, findings: influx } = await checkInflux(url, telegraf);
    notes.push(`influx: ${note}`);
    findings.push(...influx.map((finding) => `influx: ${finding}`));
  }
  if (formats.includes('prometheus')) {
    const { body, contentType } = await scrape(url, { ...telegraf, accept: PROMETHEUS_ACCEPT });
    const openMetrics = contentType.startsWith('application/openmetrics-text');
    notes.push(
      `prometheus: ${openMetrics ? 'OpenMetrics' : `"${contentType}"`}, ${count(body.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length, 'sample')}`,
    );
    findings.push(...lintPrometheus(body, openMetrics).map((finding) => `prometheus: ${finding}`));
  }
  // The endpoint's words: shown, never acted on by a terminal.
  return { notes: notes.map(printable), findings: findings.map(printable) };
}

/** Of a body, what the verdict on a body of no line protocol quotes. */
const FIRST_CHARACTERS = 100;

async function checkInflux(url: string, headers: Record<string, string>): Promise<{ note: string; findings: string[] }> {
  const { body, contentType } = await scrape(url, headers);
  const first = lintLineProtocol(body);
  const read = body.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  // Not one line of several parsed: another kind of endpoint (a web page, a Prometheus exporter),
  // not a broken meter. Said once, plainly, not once a line.
  if (first.lines.length === 0 && read > 0) {
    const start = body.length > FIRST_CHARACTERS ? `${body.slice(0, FIRST_CHARACTERS)}…` : body;
    const prometheus = /^# TYPE \S+ \S+$/m.test(body)
      ? '; it reads as Prometheus text or OpenMetrics, which --format prometheus checks alone'
      : '';
    return {
      note: `none of ${count(read, 'line')} parses as line protocol`,
      findings: [
        `this does not look like a Runometer endpoint: no line of its body parses as line protocol (content type ${JSON.stringify(contentType)}, first characters: ${JSON.stringify(start)})${prometheus}`,
      ],
    };
  }
  const second = lintLineProtocol((await scrape(url, headers)).body);
  const { runtime, known, findings: fields } = expectedFields(first.lines);
  const note =
    `${count(first.lines.length, 'line')}, ${count(new Set(first.lines.flatMap((line) => Object.keys(line.fields))).size, 'field key')}, ` +
    (runtime === undefined
      ? 'no runtime tag (fields not checked against the catalog)'
      : known === undefined
        ? `runtime ${runtime}, never checked (fields not checked against the catalog)`
        : `runtime ${runtime}`);
  // A body broken the same way twice is one finding.
  const findings = new Set([
    ...first.findings,
    ...second.findings,
    ...unstableFieldTypes([first.lines, second.lines], 'scrape'),
    ...fields,
    ...partialScrapes(first.lines),
  ]);
  return { note, findings: [...findings] };
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
  if (format !== undefined && format !== 'influx' && format !== 'prometheus')
    throw new UsageError(`--format "${format}" is neither influx nor prometheus`);
  const { notes, findings } = await check(url, { ...(format === undefined ? {} : { formats: [format] }), ...authOption(values) });
  const summary = `${redactUrl(url)}: ${findings.length === 0 ? 'clean' : count(findings.length, 'finding')}`;
  return {
    text: [...notes, ...shown(findings).map((finding) => `✗ ${finding}`), summary].join('\n') + '\n',
    status: findings.length === 0 ? 0 : 1,
  };
}

/** Of each scrape's findings that name a line of the body, how many the command prints; it counts the rest (check() gives them all). */
export const FINDINGS_SHOWN = 10;

/**
 * The findings the command prints: every one, but of those that name a line (`line 12 is not a
 * sample`), at most FINDINGS_SHOWN a scrape, then how many more: a body that is not what the
 * scrape expects breaks every line the same way, and 400 lines of it hid the rest.
 */
function shown(findings: readonly string[]): string[] {
  const lines: string[] = [];
  const more = new Map<string, number>();
  for (const finding of findings) {
    const [, scrape = '', line] = /^(\w+): (line \d+)?/.exec(finding) ?? [];
    const named = line === undefined ? 0 : (more.get(scrape) ?? 0) + 1;
    if (line !== undefined) more.set(scrape, named);
    if (named <= FINDINGS_SHOWN) lines.push(finding);
  }
  for (const [scrape, named] of more) {
    if (named > FINDINGS_SHOWN) lines.push(`${scrape}: … and ${count(named - FINDINGS_SHOWN, 'more line')} found wrong, not shown`);
  }
  return lines;
}
