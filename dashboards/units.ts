// The Grafana unit of a catalog field as a panel shows it: a gauge's value as it is, a counter's as
// its rate per second (which is what a panel of a counter plots).
import type { CatalogEntry, FieldUnit } from '@runometer/core';
import type { HistogramTotal } from './store.js';

/** Grafana's unit ids (its `valueFormats`) for a gauge of each catalog unit. */
const GAUGE_UNITS: Record<FieldUnit, string> = {
  bytes: 'bytes',
  seconds: 's',
  // Grafana's date units read milliseconds: the query multiplies by 1000 (see `scaleOf`).
  epoch_seconds: 'dateTimeAsIso',
  percent: 'percent',
  ratio: 'percentunit',
  count: 'short',
  none: 'none',
};

/** A counter's rate per second: seconds per second is a share of time (CPU: of one core). */
const RATE_UNITS: Partial<Record<FieldUnit, string>> = {
  bytes: 'Bps',
  seconds: 'percentunit',
  count: 'cps',
};

function unitOf(entry: CatalogEntry): FieldUnit {
  if (entry.unit === undefined) throw new Error(`field "${entry.key}" declares no unit: the dashboards cannot show it`);
  return entry.unit;
}

function rateUnit(what: string, unit: FieldUnit): string {
  const rate = RATE_UNITS[unit];
  if (rate === undefined) throw new Error(`${what} has unit "${unit}", which has no rate per second`);
  return rate;
}

/** A gauge's unit, a counter's rate's; a histogram's observations' (its bounds', its quantiles', a heatmap's axis). */
export function grafanaUnit(entry: CatalogEntry): string {
  const unit = unitOf(entry);
  return entry.kind === 'counter' ? rateUnit(`counter "${entry.key}"`, unit) : GAUGE_UNITS[unit];
}

/** The unit of the rate of a histogram's count (observations per second) or of its sum. */
export function histogramRateUnit(entry: CatalogEntry, total: HistogramTotal): string {
  return total === 'count' ? RATE_UNITS.count! : rateUnit(`histogram "${entry.key}"`, unitOf(entry));
}

/** What a query multiplies the stored value by for its Grafana unit: epoch seconds become milliseconds. */
export function scaleOf(entry: CatalogEntry): number {
  return entry.unit === 'epoch_seconds' ? 1000 : 1;
}
