/**
 * A strict line-protocol reader (for tests and `runometer check`), written from the grammar of Telegraf's `influx`
 * parser (plugins/parsers/influx/machine.go.rl), the parser that reads what Telegraf's
 * `inputs.http` scrapes. It throws on anything that parser would reject.
 */
export type ParsedValue =
  | { type: 'float'; value: number }
  | { type: 'integer'; value: bigint }
  | { type: 'string'; value: string }
  | { type: 'boolean'; value: boolean };

export interface ParsedLine {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, ParsedValue>;
  timestamp?: bigint;
}

const CONTROL = '\t\n\f\r';
const WHITESPACE = '\t\v\f ';

/**
 * Telegraf's unescaping (escape.go): a strings.Replacer, read left to right, applied only when
 * the raw text holds one of the characters it escapes. Tags and field keys also turn `\"` into `"`.
 */
function unescape(raw: string, escaped: string, pairs: string): string {
  if (![...escaped].some((c) => raw.includes(c))) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\' && i + 1 < raw.length && pairs.includes(raw[i + 1]!)) {
      out += raw[i + 1];
      i++;
    } else out += raw[i];
  }
  return out;
}
const unescapeName = (raw: string) => unescape(raw, ' ,', ' ,');
const unescapeKey = (raw: string) => unescape(raw, ' ,=', ' ,="');

class Reader {
  i = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at column ${this.i + 1} of ${JSON.stringify(this.text)}`);
  }

  peek(): string | undefined {
    return this.text[this.i];
  }

  /** Characters up to an unescaped stop character; `\` takes the next character (not a control one) with it. */
  token(stops: string, what: string, pairable: (next: string) => boolean = () => true): string {
    const start = this.i;
    while (this.i < this.text.length) {
      const c = this.text[this.i]!;
      if (c === '\\') {
        const next = this.text[this.i + 1];
        if (next === undefined || CONTROL.includes(next)) this.fail(`dangling backslash in ${what}`);
        // In tags, `\\` is one character and the second backslash starts the next one.
        this.i += pairable(next) ? 2 : 1;
        continue;
      }
      if (stops.includes(c)) break;
      if (CONTROL.includes(c)) this.fail(`control character in ${what}`);
      this.i++;
    }
    if (this.i === start) this.fail(`empty ${what}`);
    return this.text.slice(start, this.i);
  }

  expect(c: string): void {
    if (this.text[this.i] !== c) this.fail(`expected ${JSON.stringify(c)}`);
    this.i++;
  }

  whitespace(): number {
    const start = this.i;
    while (this.i < this.text.length && WHITESPACE.includes(this.text[this.i]!)) this.i++;
    return this.i - start;
  }

  fieldValue(): ParsedValue {
    const rest = this.text.slice(this.i);
    if (rest.startsWith('"')) return this.stringValue();
    const match =
      /^(-?(?:0|[1-9][0-9]*))i/.exec(rest) ??
      /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/.exec(rest) ??
      /^(?:true|TRUE|True|t|T|false|FALSE|False|f|F)/.exec(rest);
    if (!match) this.fail('expected a field value');
    const text = match[0];
    const after = rest[text.length];
    if (after !== undefined && after !== ',' && !WHITESPACE.includes(after) && after !== '\n')
      this.fail('unexpected character after a field value');
    this.i += text.length;
    if (text.endsWith('i')) return { type: 'integer', value: BigInt(text.slice(0, -1)) };
    if (/^[tTfF]/.test(text)) return { type: 'boolean', value: /^[tT]/.test(text) };
    return { type: 'float', value: Number(text) };
  }

  stringValue(): ParsedValue {
    this.expect('"');
    let value = '';
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.fail('unterminated string');
      if (c === '"') break;
      if (c === '\\') {
        const next = this.text[this.i + 1];
        if (next !== '\\' && next !== '"') this.fail('a backslash in a string escapes only \\ and "');
        value += next;
        this.i += 2;
        continue;
      }
      if (c === '\f' || (c === '\r' && this.text[this.i + 1] !== '\n')) this.fail('form feed or lone carriage return in a string');
      value += c;
      this.i++;
    }
    this.i++;
    return { type: 'string', value };
  }
}

export function parseLine(line: string): ParsedLine {
  const r: Reader = new Reader(line);
  r.whitespace();
  if (r.peek() === '#') r.fail('a comment, not a line');
  const measurement = unescapeName(r.token(', \t\v', 'measurement'));
  const tags: Record<string, string> = {};
  const notBackslash = (next: string) => next !== '\\';
  while (r.peek() === ',') {
    r.i++;
    const key = unescapeKey(r.token(', =\t\v', 'tag key', notBackslash));
    r.expect('=');
    const raw = r.token(', =\t\v', 'tag value', notBackslash);
    if (raw.endsWith('\\')) r.fail('tag value ends with a backslash');
    tags[key] = unescapeKey(raw);
  }
  if (r.whitespace() === 0) r.fail('expected a space before the fields');
  const fields: Record<string, ParsedValue> = {};
  for (;;) {
    const key = unescapeKey(r.token(', =\t\v', 'field key'));
    r.expect('=');
    fields[key] = r.fieldValue();
    if (r.peek() !== ',') break;
    r.i++;
  }
  const parsed: ParsedLine = { measurement, tags, fields };
  if (r.whitespace() > 0 && r.i < line.length) {
    const match = /^-?[0-9]{1,19}/.exec(line.slice(r.i));
    if (!match) r.fail('expected a timestamp');
    parsed.timestamp = BigInt(match[0]);
    r.i += match[0].length;
    r.whitespace();
  }
  if (r.i !== line.length) r.fail('unexpected text at the end of the line');
  return parsed;
}

/** Every line of a body: it must end with LF and hold no CR line ends. */
export function parseLines(body: string): ParsedLine[] {
  if (body === '') return [];
  if (!body.endsWith('\n')) throw new SyntaxError('body does not end with LF');
  return body.slice(0, -1).split('\n').map(parseLine);
}
