import { UsageError } from './usage-error.js';

/**
 * Characters no value of a generated file may hold, and none is shown raw: C0 (tab and line
 * feed included), DEL and C1 (U+0085, NEL, ends a YAML 1.1 comment; U+009B is a terminal's CSI),
 * U+2028 and U+2029 (line breaks to YAML 1.1), and the bidi controls (they reorder what a
 * terminal or an editor shows).
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const CONTROLS = new RegExp(CONTROL.source, 'gu');

const SHORT: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** `\xHH`, `\uHHHH`: the escapes of bash's `$'…'`, which a reader recognises too. */
function escape(character: string): string {
  const code = character.codePointAt(0)!;
  return SHORT[character] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** `text` with its control characters escaped: one line, safe for a terminal. Backslashes are left as they are, so it is idempotent. */
export function printable(text: string): string {
  return text.replace(CONTROLS, escape);
}

/** An argument as the shell reads it back: bare, `'…'`, or `$'…'` with escapes when it holds a control character. */
export function shellQuoted(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (!CONTROL.test(arg)) return `'${arg.replaceAll("'", `'\\''`)}'`;
  return `$'${printable(arg.replaceAll('\\', '\\\\').replaceAll("'", "\\'"))}'`;
}

/** A UsageError naming `option` and the first control character in `value`, which it never echoes (it may be a secret). */
export function refuseControlCharacters(option: string, value: string): void {
  const found = CONTROL.exec(value);
  if (found === null) return;
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  throw new UsageError(
    `${option} holds control character U+${code} at character ${[...value.slice(0, found.index)].length + 1}: ` +
      'a value in a generated file takes no control character (C0, DEL, C1, U+2028, U+2029, bidi controls)',
  );
}
