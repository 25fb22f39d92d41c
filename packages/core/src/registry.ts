import { RegistrationError } from './errors.js';

export type PresetClass<T extends object = object> = new (...args: any[]) => T;

/** The presets installed in this process: importing a preset package registers its class here. */
export class PresetRegistry {
  private readonly byName = new Map<string, PresetClass>();

  register(name: string, presetClass: PresetClass): void {
    const existing = this.byName.get(name);
    if (existing !== undefined && existing !== presetClass) {
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

export const presetRegistry = new PresetRegistry();
