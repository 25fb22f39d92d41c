// The Grafana unit of a catalog field as a panel shows it: a gauge's value as it is, a counter's as
// its rate per second (which is what a panel of a counter plots).
import type { CatalogEntry, FieldUnit } from '@runometer/core';

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

export function grafanaUnit(entry: CatalogEntry): string {
  const unit = entry.unit;
  if (unit === undefined) throw new Error(`field "${entry.key}" declares no unit: the dashboards cannot show it`);
  if (entry.kind === 'gauge') return GAUGE_UNITS[unit];
  const rate = RATE_UNITS[unit];
  if (rate === undefined) throw new Error(`counter "${entry.key}" has unit "${unit}", which has no rate per second`);
  return rate;
}

/** What a query multiplies the stored value by for its Grafana unit: epoch seconds become milliseconds. */
export function scaleOf(entry: CatalogEntry): number {
  return entry.unit === 'epoch_seconds' ? 1000 : 1;
}
