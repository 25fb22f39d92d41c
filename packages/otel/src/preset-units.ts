import { catalogOf, presetRegistry, type FieldUnit, type SnapshotSource } from '@runometer/core';

/**
 * The units that the presets of a source declare, by field key. Core keeps a unit as catalog
 * metadata that no snapshot carries: a meter names its presets (`presetNames`), and each preset's
 * catalog gives its fields' units. A field the app adds itself, and any other source's, has none.
 */
export class PresetUnits {
  private presets = '';
  private units = new Map<string, FieldUnit>();

  constructor(private readonly source: SnapshotSource) {}

  unitOf(key: string): FieldUnit | undefined {
    const names = (this.source as { presetNames?: unknown }).presetNames;
    if (!Array.isArray(names)) return undefined;
    // A meter may `use()` more presets after it was handed over: read them again when they change.
    const presets = names.join('\n');
    if (presets !== this.presets) {
      this.presets = presets;
      this.units = new Map(
        names.flatMap((name: string) => {
          const presetClass = presetRegistry.get(name);
          return presetClass === undefined
            ? []
            : catalogOf(presetClass).flatMap(({ key, unit }) => (unit === undefined ? [] : [[key, unit] as const]));
        }),
      );
    }
    return this.units.get(key);
  }
}
