import type { PresetRendering } from './render-preset.js';

/** The fields a rendering wrote, each named as a message says it and mapped to what a fault taking it out would name: the field, or its series. */
function fieldsOf({ snapshots }: PresetRendering): Map<string, string> {
  const fields = new Map<string, string>();
  for (const snapshot of snapshots) {
    for (const point of snapshot.points) {
      for (const { spec } of point.fields) {
        if (point.series === undefined) fields.set(`"${spec.key}"`, spec.key);
        else fields.set(`"${spec.key}" of series "${point.series}"`, point.series);
      }
    }
  }
  return fields;
}

/**
 * Throws unless the fault of the builder, field, tag or series `key` was isolated: `faulty` (a
 * rendering where it throws) reported a fault naming it, and every field that `healthy` (the same
 * preset where nothing throws) wrote is still written, or else its field or series is named by a
 * fault of its own (a field that reads a failed builder's context is).
 */
export function assertFaultIsolated(faulty: PresetRendering, healthy: PresetRendering, key: string): void {
  const reported = faulty.errors.map((error) => `${error.source} "${error.key}": ${error.message}`);
  if (!faulty.errors.some((error) => error.key === key)) {
    throw new Error(`no fault names "${key}"; reported: ${reported.length === 0 ? 'none' : reported.join('; ')}`);
  }
  const written = fieldsOf(faulty);
  const named = new Set(faulty.errors.map((error) => error.key));
  const lost = [...fieldsOf(healthy)].filter(([field, owner]) => !written.has(field) && !named.has(owner)).map(([field]) => field);
  if (lost.length > 0) throw new Error(`the fault of "${key}" also took out field ${lost.join(', ')}, with no fault naming them`);
}
