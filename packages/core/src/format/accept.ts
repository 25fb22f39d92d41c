/**
 * The longest Accept (or Accept-Encoding) header read, in characters. Real clients send under
 * 300 (Prometheus 3's is 228, browsers' about 150); Node admits 16 KiB of headers. The bound
 * keeps the work a request can ask of the parser, which runs before auth, small.
 */
export const ACCEPT_MAX_LENGTH = 4096;

export interface MediaRange {
  readonly type: string;
  readonly parameters: ReadonlyMap<string, string>;
  readonly q: number;
}

/**
 * `text` split at each `separator` outside a quoted string, in one pass: a backslash in a quoted
 * string escapes the next character, and a quote left open runs to the end.
 */
function splitOutsideQuotes(text: string, separator: ',' | ';'): string[] {
  const parts: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '\\') i++;
      else if (char === '"') quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const unquote = (value: string) =>
  value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;

function mediaRange(element: string): MediaRange {
  const [type = '', ...pieces] = splitOutsideQuotes(element, ';');
  const parameters = new Map<string, string>();
  for (const piece of pieces) {
    const equals = piece.indexOf('=');
    if (equals > 0) parameters.set(piece.slice(0, equals).trim().toLowerCase(), unquote(piece.slice(equals + 1).trim()));
  }
  const q = Number(parameters.get('q') ?? 1);
  parameters.delete('q');
  return { type: type.trim().toLowerCase(), parameters, q: q >= 0 && q <= 1 ? q : 0 };
}

/**
 * The media ranges of an Accept header (RFC 9110 §12.5.1), leniently: spaces around `;` and
 * `=`, and quoted values (`version="0.0.4"`, even `q="0.5"`); empty list elements are skipped. A
 * q that is not a number from 0 to 1 makes its range unacceptable. Accept-Encoding has the same
 * grammar: each coding is a `type`. In linear time, and only the ranges that end within the
 * first ACCEPT_MAX_LENGTH characters: the range the bound cuts through, and all after it, are not read.
 */
export function parseAccept(accept: string): MediaRange[] {
  const elements = splitOutsideQuotes(accept.slice(0, ACCEPT_MAX_LENGTH + 1), ',');
  // Past the bound the last element is the one it cuts through (or the empty one after a comma just at it).
  if (accept.length > ACCEPT_MAX_LENGTH) elements.pop();
  return elements.filter((element) => element.trim() !== '').map(mediaRange);
}
