// @ts-check
// The field catalog (`@runometer/cli`'s, which `runometer check` reads): every field the four
// presets, @runometer/cluster and @runometer/push declare (key, type, kind, unit, help, the capabilities it requires), in the order a
// meter that uses them all renders them. Read by `npm run catalog` (the READMEs' tables), the
// runtime tests, the dashboards and the accuracy suite, which resolve `@runometer/*` to the sources
// or to the built packages alike.
import { CATALOG, PACKAGE_PRESETS, PRESETS } from '@runometer/cli';
import { KNOWN_RUNTIMES, measuredOn } from '@runometer/runtime';

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

/** @typedef {import('@runometer/runtime').KnownRuntimeName} KnownRuntimeName */

/**
 * The known runtimes by runtime, in KNOWN_RUNTIMES' order: Node (one known runtime per line
 * checked), Bun, Deno. The READMEs' tables and the dashboards give each runtime one column or one
 * name, and say which lines give which answer where a runtime's lines differ (`groupAnswer`).
 * @type {readonly { title: string, members: readonly KnownRuntimeName[] }[]}
 */
export const RUNTIME_GROUPS = Object.values(
  Object.entries(KNOWN_RUNTIMES).reduce((groups, [key, { name }]) => {
    (groups[name] ??= { title: `${name[0]?.toUpperCase()}${name.slice(1)}`, members: [] }).members.push(/** @type {KnownRuntimeName} */ (key));
    return groups;
  }, /** @type {Record<string, { title: string, members: KnownRuntimeName[] }>} */ ({})),
);

/**
 * One answer for a runtime's known runtimes: `answerOf`'s where all agree, else each answer with the
 * lines that give it, `✓ on 22, 24; — on 20`.
 * @param {readonly KnownRuntimeName[]} members
 * @param {(runtime: KnownRuntimeName) => string} answerOf
 */
export function groupAnswer(members, answerOf) {
  /** @type {Map<string, string[]>} */
  const lines = new Map();
  for (const member of members) {
    const answer = answerOf(member);
    lines.set(answer, [...(lines.get(answer) ?? []), KNOWN_RUNTIMES[member].version.split('.')[0] ?? '']);
  }
  if (lines.size === 1) return [...lines.keys()][0] ?? '';
  return [...lines].map(([answer, majors]) => `${answer} on ${majors.join(', ')}`).join('; ');
}
