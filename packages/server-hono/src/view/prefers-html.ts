import type { FormatName } from '@runometer/core';
import { FORMAT_NAMES, formatSpecificity, parseAccept, preferred, type MediaRange } from '@runometer/core/format';

const HTML = 'html';
type Candidate = FormatName | typeof HTML;

/** How specifically `range` names HTML, as core counts it for a format: 3, 2 for `text/*`, 1 for `*\/*`, 0 not at all. */
function htmlSpecificity({ type }: MediaRange): number {
  return type === 'text/html' ? 3 : type === 'text/*' ? 2 : type === '*/*' ? 1 : 0;
}

const specificity = (range: MediaRange, candidate: Candidate) =>
  candidate === HTML ? htmlSpecificity(range) : formatSpecificity(range, candidate);

/** On a tie, the earlier candidate wins: HTML first at `/view`, last at the endpoint. */
const HTML_FIRST: readonly Candidate[] = [HTML, ...FORMAT_NAMES];
const HTML_LAST: readonly Candidate[] = [...FORMAT_NAMES, HTML];

/**
 * Whether a request with this Accept header prefers the live view's HTML to every format the
 * endpoint serves, ranked as core's negotiate ranks formats (`preferred`). At the endpoint HTML
 * comes after the formats (`*\/*` and no Accept get line protocol, as scrapers always have); at
 * `/view` it comes first (no Accept, or `*\/*`, get the page).
 */
export function prefersHtml(accept: string | undefined, htmlFirst: boolean): boolean {
  if (accept === undefined || accept.trim() === '') return htmlFirst;
  // Without "html" only a wildcard names HTML, and the same wildcard names line protocol, which
  // then comes first: what scrapers send is decided without parsing.
  if (!htmlFirst && !/html/i.test(accept)) return false;
  return preferred(parseAccept(accept), htmlFirst ? HTML_FIRST : HTML_LAST, specificity) === HTML;
}
