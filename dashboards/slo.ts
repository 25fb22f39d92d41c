// The service-level objectives the fleet overview's SLO panel and the alert rules share: one place
// for each threshold and target.
import type { CatalogEntry } from '@runometer/core';
import { leLabels } from '@runometer/core/format';
import { catalogEntry } from '../tools/catalog.js';
import { histogramOf } from './store.js';

/** preset-http's request durations: the histogram every request-level panel and rule reads. */
export const REQUEST_DURATION = histogramOf(catalogEntry('http_request_duration_seconds'));

/** Requests whose server answered 5xx: the errors of the error ratio. */
export const SERVER_ERRORS = { status_class: '5xx' } as const;

/** Of every request, the share answered within `threshold` seconds (a bound of the buckets, so that it is counted, not estimated). */
export const LATENCY_OBJECTIVE = { threshold: 0.3, target: 0.99 } as const;

/** Of every request, the share not answered 5xx. */
export const AVAILABILITY_OBJECTIVE = { target: 0.999 } as const;

/** The `le` of `bound` as the stores hold it, when it is a bound of the histogram's buckets; refused, naming both, when not. */
export function leOf(entry: CatalogEntry, bound: number): string {
  const bounds = histogramOf(entry).buckets ?? [];
  const index = bounds.indexOf(bound);
  if (index === -1)
    throw new Error(`${bound} is no bound of ${entry.key}'s buckets (${bounds.join(', ')}): the share within it could only be estimated`);
  return leLabels(bounds)[index]!;
}

/** The latency objective's threshold, as the `le` of its bucket. */
export const LATENCY_THRESHOLD_LE = leOf(REQUEST_DURATION, LATENCY_OBJECTIVE.threshold);
