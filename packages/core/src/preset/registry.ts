import { RegistrationError } from '../model/errors.js';

export type PresetClass<T extends object = object> = new (...args: any[]) => T;

/** The presets installed in this process: importing a preset package registers its class here. */
export class PresetRegistry {
  constructor(private readonly byName = new Map<string, PresetClass>()) {}

  /**
   * Registers `presetClass` under `name`. A class of the same class name replaces the one
   * registered: the same preset module evaluated again (a dev server's hot reload) or a second
   * installed copy of its package. A class of another name is refused: two presets claiming one
   * name must not be merged.
   */
  register(name: string, presetClass: PresetClass): void {
    const existing = this.byName.get(name);
    if (existing !== undefined && existing !== presetClass && existing.name !== presetClass.name) {
      throw new RegistrationError(`preset "${name}" is already registered by class ${existing.name}`);
    }
    this.byName.set(name, presetClass);
  }

  get(name: string): PresetClass | undefined {
    return this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The names of the installed presets, sorted. */
  names(): string[] {
    return [...this.byName.keys()].sort();
  }
}

/**
 * The process's registry, one for every copy of core: a preset registered through one copy is
 * found by name through another. Keyed by the shape of what is shared (a Map of name to class).
 */
export const presetRegistry = new PresetRegistry(
  ((globalThis as Record<symbol, unknown>)[Symbol.for('@runometer/core:presets@1')] ??= new Map<string, PresetClass>()) as Map<
    string,
    PresetClass
  >,
);
