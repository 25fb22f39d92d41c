// @ts-check
// The field catalog (`@runometer/cli`'s, which `runometer check` reads): every field the four
// presets, @runometer/cluster and @runometer/push declare (key, type, kind, unit, help, the capabilities it requires), in the order a
// meter that uses them all renders them. Read by `npm run catalog` (the READMEs' tables), the
// runtime tests, the dashboards and the accuracy suite, which resolve `@runometer/*` to the sources
// or to the built packages alike.
import { CATALOG, PACKAGE_PRESETS, PRESETS } from '@runometer/cli';
import { measuredOn } from '@runometer/runtime';

export { CATALOG, PACKAGE_PRESETS, PRESETS };

/**
 * The catalog's entry for `field`: a field key, or a series field with its tags (`gc_count_total{gc_kind=major}`).
 * @param {string} field
 */
export function catalogEntry(field) {
  const key = field.split('{')[0];
  const entry = CATALOG.find((candidate) => candidate.key === key);
  if (entry === undefined) throw new Error(`no preset declares a field "${key}"`);
  return entry;
}

/**
 * Whether `runtime` measures `field` at all, granted every flag, as its known capabilities say.
 * @param {import('@runometer/runtime').KnownRuntimeName} runtime
 * @param {string} field
 */
export function measures(runtime, field) {
  return measuredOn(catalogEntry(field), runtime).measured;
}
