import { FIELD_UNITS, type Format, type Snapshot } from '@runometer/core';
import { detectRuntime } from '@runometer/runtime';
import { viewFields } from './catalog.js';
import { SECURITY_HEADERS } from '../security-headers.js';
import { PAGE_AFTER_CONFIG, PAGE_BEFORE_CONFIG, PAGE_POLICY } from './page.generated.js';

/**
 * Milliseconds between the page's polls: twice the endpoint's default `minRenderInterval`, so that
 * each poll gets a render of its own (a poll a second after the last could be answered the same
 * render again), at the cost of one render per two seconds while the page is open.
 */
export const POLL_INTERVAL = 2000;
/** Polls a chart keeps: five minutes at one per two seconds. */
export const POLL_WINDOW = 150;

const runtime = detectRuntime();

/** The page's config as JSON that cannot end its `<script>` element early. */
function configText(collected: Snapshot | readonly Snapshot[]): string {
  const config = {
    fields: viewFields(collected),
    units: FIELD_UNITS,
    servedBy: `${runtime.name} ${runtime.version}`.trim(),
    interval: POLL_INTERVAL,
    window: POLL_WINDOW,
  };
  return JSON.stringify(config).replace(/</g, '\\u003c');
}

/**
 * The live view as a format of the render cache: the page, with the catalog of the fields in this
 * render written into it, made once per render and gzipped once, like any format's body.
 */
export const VIEW_PAGE = {
  name: 'view',
  contentType: 'text/html; charset=utf-8',
  render: (collected: Snapshot | readonly Snapshot[]): string => PAGE_BEFORE_CONFIG + configText(collected) + PAGE_AFTER_CONFIG,
} satisfies Format;

/**
 * The page's security headers: those of every answer, with the page's own policy, which lets its
 * inline script and style (by their hashes) and its polls (to its own origin) through, and
 * nothing else (scripts/build-view.js).
 */
export const VIEW_PAGE_HEADERS = { ...SECURITY_HEADERS, 'Content-Security-Policy': PAGE_POLICY } as const;
