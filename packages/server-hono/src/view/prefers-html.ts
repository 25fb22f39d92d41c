import { FORMATS, negotiate, parseAccept, type Format, type MediaRange } from '@runometer/core';

interface Match {
  readonly q: number;
  readonly specificity: number;
  readonly index: number;
}

/** How specifically `range` names HTML, as core's negotiate counts it for a format: 3, 2 for `text/*`, 1 for `*\/*`, 0 not at all. */
function htmlSpecificity({ type }: MediaRange): number {
  return type === 'text/html' ? 3 : type === 'text/*' ? 2 : type === '*/*' ? 1 : 0;
}

/** The range as an Accept header of its own, without its q. */
function rangeText({ type, parameters }: MediaRange): string {
  return [type, ...[...parameters].map(([name, value]) => `${name}="${value.replace(/["\\]/g, '\\$&')}"`)].join(';');
}

/**
 * How specifically `range` names `format`. A media type names at most one format, and core's
 * negotiate says which (text/plain is line protocol or Prometheus text by its version): asked
 * with that range alone, it answers that format or none.
 */
function formatSpecificity(range: MediaRange, format: Format): number {
  if (range.type === '*/*') return 1;
  if (range.type.endsWith('/*')) return format.contentType.startsWith(range.type.slice(0, -1)) ? 2 : 0;
  return negotiate(undefined, rangeText(range)) === format ? 3 : 0;
}

/** The q of the most specific range naming the target (the first of equals), as negotiate takes it. */
function bestMatch(ranges: readonly MediaRange[], specificityOf: (range: MediaRange) => number): Match | undefined {
  let match: Match | undefined;
  ranges.forEach((range, index) => {
    const specificity = specificityOf(range);
    if (specificity > (match?.specificity ?? 0)) match = { q: range.q, specificity, index };
  });
  return match;
}

/** Whether `html` ranks above `format` as negotiate ranks formats: higher q, then the more specific range, then the earlier. */
function outranks(html: Match, format: Match, htmlFirst: boolean): boolean {
  if (html.q !== format.q) return html.q > format.q;
  if (html.specificity !== format.specificity) return html.specificity > format.specificity;
  if (html.index !== format.index) return html.index < format.index;
  return htmlFirst;
}

/**
 * Whether a request with this Accept header prefers the live view's HTML to every format the
 * endpoint serves, ranked by q as core's negotiate ranks formats. At the endpoint HTML comes after
 * the formats (`*\/*` and no Accept get line protocol, as scrapers always have); at `/view` it
 * comes first (no Accept, or `*\/*`, get the page).
 */
export function prefersHtml(accept: string | undefined, htmlFirst: boolean): boolean {
  if (accept === undefined || accept.trim() === '') return htmlFirst;
  // Without "html" only a wildcard names HTML, and the same wildcard names line protocol, which
  // then comes first: what scrapers send is decided without parsing.
  if (!htmlFirst && !/html/i.test(accept)) return false;
  const ranges = parseAccept(accept);
  const html = bestMatch(ranges, htmlSpecificity);
  if (html === undefined || html.q === 0) return false;
  return Object.values(FORMATS).every((format) => {
    const match = bestMatch(ranges, (range) => formatSpecificity(range, format));
    return match === undefined || match.q === 0 || outranks(html, match, htmlFirst);
  });
}
