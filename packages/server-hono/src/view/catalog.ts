import {
  catalogOf,
  presetRegistry,
  snapshotsOf,
  type CatalogEntry,
  type FieldKind,
  type FieldType,
  type FieldUnit,
  type Snapshot,
} from '@runometer/core';

/** What the live view knows of a field: how the render declared it, and the preset's catalog entry where one declares it. */
export interface ViewField {
  readonly series?: string;
  readonly key: string;
  readonly preset?: string;
  readonly type: FieldType;
  readonly kind: FieldKind;
  readonly unit?: FieldUnit;
  readonly help?: string;
}

const idOf = (series: string | undefined, key: string) => `${series ?? ''}\u0000${key}`;

/** Every field the presets installed in this process declare (importing a preset package installs it), by series and key. */
export function installedCatalog(): Map<string, CatalogEntry> {
  const entries = new Map<string, CatalogEntry>();
  for (const name of presetRegistry.names()) {
    for (const entry of catalogOf(presetRegistry.get(name)!)) {
      const id = idOf(entry.series, entry.key);
      if (!entries.has(id)) entries.set(id, entry);
    }
  }
  return entries;
}

/**
 * The fields of a render, in the order it wrote them: type, kind and help from the render's own
 * field specs (so any SnapshotSource, a cluster's aggregate as a meter, is described), the
 * preset and unit from the catalog of the installed presets. A field no preset declares (the
 * meter's own `addField`) has neither.
 */
export function viewFields(
  collected: Snapshot | readonly Snapshot[],
  catalog: ReadonlyMap<string, CatalogEntry> = installedCatalog(),
): ViewField[] {
  const fields = new Map<string, ViewField>();
  for (const snapshot of snapshotsOf(collected)) {
    for (const point of snapshot.points) {
      for (const { spec } of point.fields) {
        const id = idOf(point.series, spec.key);
        if (fields.has(id)) continue;
        const entry = catalog.get(id);
        const help = spec.help ?? entry?.help;
        fields.set(id, {
          ...(point.series === undefined ? {} : { series: point.series }),
          key: spec.key,
          ...(entry === undefined ? {} : { preset: entry.preset }),
          type: spec.type,
          kind: spec.kind,
          ...(entry?.unit === undefined ? {} : { unit: entry.unit }),
          ...(help === undefined ? {} : { help }),
        });
      }
    }
  }
  return [...fields.values()];
}
