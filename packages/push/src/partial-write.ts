import { parseLine } from '@runometer/core';

/** What a 400 (or 422) said about a batch: the message, how many points it refused, and which lines it named. */
export interface Refusal {
  readonly message: string;
  readonly count: number;
  readonly lines: readonly string[];
}

interface ErrorBody {
  /** InfluxDB 1.x and 3.x. */
  error?: unknown;
  /** InfluxDB 2.x. */
  message?: unknown;
  /** InfluxDB 2.x: the first refused line, from 1. */
  line?: unknown;
  /** InfluxDB 3.x: each refused line. */
  data?: unknown;
}

const UNABLE_TO_PARSE = /unable to parse '((?:[^']|'(?!: ))*)': /g;
const TYPE_CONFLICT = /input field "([^"]*)" on measurement "([^"]*)"/g;
const DROPPED = /dropped=(\d+)/;

function bodyOf(text: string): ErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as ErrorBody) : {};
  } catch {
    return {};
  }
}

function lineAt(batch: readonly string[], number: unknown): string | undefined {
  return typeof number === 'number' && Number.isInteger(number) ? batch[number - 1] : undefined;
}

/** The lines of `batch` that write `field` into `measurement`. */
function linesWithField(batch: readonly string[], measurement: string, field: string): string[] {
  return batch.filter((line) => {
    try {
      const parsed = parseLine(line);
      return parsed.measurement === measurement && Object.hasOwn(parsed.fields, field);
    } catch {
      return false;
    }
  });
}

/**
 * Reads InfluxDB's answer to a refused write: 1.x `{"error":"partial write: … dropped=N"}` (a
 * field type conflict names the field and measurement; a parse error quotes the line), 2.x
 * `{"code":…,"message":…,"line":N}`, 3.x `{"error":…,"data":[{"original_line","line_number",…}]}`.
 * When it names neither lines nor a count, the whole batch was refused.
 */
export function readRefusal(text: string, batch: readonly string[]): Refusal {
  const body = bodyOf(text);
  const message = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : text.trim();
  const named = new Set<string>();
  const add = (line: string | undefined) => {
    if (line !== undefined && batch.includes(line)) named.add(line);
  };
  for (const entry of Array.isArray(body.data) ? body.data : body.data === undefined ? [] : [body.data]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { original_line, line_number } = entry as { original_line?: unknown; line_number?: unknown };
    add(lineAt(batch, line_number) ?? (typeof original_line === 'string' ? original_line : undefined));
  }
  add(lineAt(batch, body.line));
  for (const [, line] of message.matchAll(UNABLE_TO_PARSE)) add(line);
  for (const [, field, measurement] of message.matchAll(TYPE_CONFLICT)) {
    for (const line of linesWithField(batch, measurement!, field!)) named.add(line);
  }
  const dropped = Number(DROPPED.exec(message)?.[1] ?? 0);
  const count = dropped > 0 ? Math.min(dropped, batch.length) : named.size > 0 ? named.size : batch.length;
  return { message, count, lines: named.size > 0 ? [...named] : count === batch.length ? batch : [] };
}
