// What each runtime writes, computed from the field catalog and @runometer/runtime's KNOWN_RUNTIMES,
// so that the runtime tests never type a list of field names.
import { catalogOf } from '@runometer/core';
import { measuredOn, type KnownRuntimeName } from '@runometer/runtime';
import { PRESETS } from '../tools/catalog.js';

/** The fields of the four presets, which the runtime tests' meters use (the catalog holds other packages' too). */
const CATALOG = Object.values(PRESETS).flatMap((preset) => catalogOf(preset));

/** Which flags the runtime was granted: every one by default. */
export type Granted = (flag: string) => boolean;
const everyFlag: Granted = () => true;

export { measures } from '../tools/catalog.js';

/**
 * The keys `runtime` surely writes, granted `granted`, in the order of a meter that uses the four
 * presets: its own line's, and each series' (one that a condition of the machine decides is left out).
 */
export function expectedKeys(
  runtime: KnownRuntimeName,
  granted: Granted = everyFlag,
): { fields: string[]; series: Record<string, string[]> } {
  const fields: string[] = [];
  const series: Record<string, string[]> = {};
  for (const entry of CATALOG) {
    const measurement = measuredOn(entry, runtime);
    if (!measurement.measured || measurement.when !== undefined || !measurement.grants.every(granted)) continue;
    if (entry.series === undefined) fields.push(entry.key);
    else (series[entry.series] ??= []).push(entry.key);
  }
  return { fields, series };
}

/** The fields `runtime` leaves out for a flag it was not granted, each with the first such flag. */
export function withheld(runtime: KnownRuntimeName, granted: Granted): { key: string; grant: string }[] {
  return CATALOG.flatMap((entry) => {
    const measurement = measuredOn(entry, runtime);
    const missing = measurement.measured ? measurement.grants.find((flag) => !granted(flag)) : undefined;
    return missing === undefined ? [] : [{ key: entry.key, grant: missing }];
  });
}

/** Fields and series whose presence a condition of the machine decides (a cgroup limit, what is open). */
export const CONDITIONAL = {
  fields: new Set(CATALOG.filter((entry) => entry.when !== undefined && entry.series === undefined).map((entry) => entry.key)),
  series: new Set(CATALOG.flatMap((entry) => (entry.when !== undefined && entry.series !== undefined ? [entry.series] : []))),
};
