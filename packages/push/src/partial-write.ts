import { parseLine } from '@runometer/core/format';
import type { Refusal } from './encoder.js';

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

const UNABLE_TO_PARSE = "unable to parse '";
const END_OF_QUOTE = "': ";
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

/** Each line InfluxDB 1.x quotes in `unable to parse '<line>': <why>`, found with indexOf: linear, where a regex backtracked. */
function unparsedLines(message: string): string[] {
  const lines: string[] = [];
  let from = 0;
  for (;;) {
    const open = message.indexOf(UNABLE_TO_PARSE, from);
    if (open === -1) return lines;
    const start = open + UNABLE_TO_PARSE.length;
    const end = message.indexOf(END_OF_QUOTE, start);
    if (end === -1) return lines;
    lines.push(message.slice(start, end));
    from = end + END_OF_QUOTE.length;
  }
}

/** The fields of each measurement that a type conflict names. */
function conflicts(message: string): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>();
  for (const [, field, measurement] of message.matchAll(TYPE_CONFLICT)) {
    let named = fields.get(measurement!);
    if (named === undefined) fields.set(measurement!, (named = new Set()));
    named.add(field!);
  }
  return fields;
}

/** The lines of `batch` that write a field a conflict names into its measurement: each line parsed once, however many conflicts. */
function linesWithConflicts(batch: readonly string[], named: ReadonlyMap<string, ReadonlySet<string>>, parse: typeof parseLine): string[] {
  if (named.size === 0) return [];
  return batch.filter((line) => {
    try {
      const parsed = parse(line);
      const fields = named.get(parsed.measurement);
      return fields !== undefined && Object.keys(parsed.fields).some((field) => fields.has(field));
    } catch {
      return false;
    }
  });
}

/**
 * Reads InfluxDB's answer to a refused write: 1.x `{"error":"partial write: … dropped=N"}` (a
 * field type conflict names the field and measurement; a parse error quotes the line), 2.x
 * `{"code":…,"message":…,"line":N}`, 3.x `{"error":…,"data":[{"original_line","line_number",…}]}`.
 * When it names neither lines nor a count, the whole batch was refused. Linear in the answer and
 * the batch: each line of the batch is parsed (`parse`) at most once.
 */
export function readRefusal(text: string, batch: readonly string[], parse: typeof parseLine = parseLine): Refusal {
  const body = bodyOf(text);
  const message = typeof body.error === 'string' ? body.error : typeof body.message === 'string' ? body.message : text.trim();
  const named = new Set<string>();
  const inBatch = new Set(batch);
  const add = (line: string | undefined) => {
    if (line !== undefined && inBatch.has(line)) named.add(line);
  };
  for (const entry of Array.isArray(body.data) ? body.data : body.data === undefined ? [] : [body.data]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { original_line, line_number } = entry as { original_line?: unknown; line_number?: unknown };
    add(lineAt(batch, line_number) ?? (typeof original_line === 'string' ? original_line : undefined));
  }
  add(lineAt(batch, body.line));
  for (const line of unparsedLines(message)) add(line);
  for (const line of linesWithConflicts(batch, conflicts(message), parse)) named.add(line);
  const dropped = Number(DROPPED.exec(message)?.[1] ?? 0);
  const count = dropped > 0 ? Math.min(dropped, batch.length) : named.size > 0 ? named.size : batch.length;
  return { message, count, lines: named.size > 0 ? [...named] : count === batch.length ? batch : [] };
}
