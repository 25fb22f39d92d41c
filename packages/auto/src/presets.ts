import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { presetRegistry, type PresetClass } from '@runometer/core';

const SCOPE = '@runometer';
const PRESET_PREFIX = 'preset-';

/**
 * Where the app resolves packages from: its entry's folder (`node --import @runometer/auto
 * /srv/app/server.js` started from `/`), then the working directory. Not this module's own folder:
 * a preload installed apart from the app (pnpm's strict layout, a global install, Deno's npm cache)
 * sees none of the app's packages from there.
 */
export function appFolders(entry: string | undefined, cwd: string): string[] {
  const folders = entry === undefined || entry === '' ? [] : [dirname(resolve(cwd, entry))];
  return [...new Set([...folders, resolve(cwd)])];
}

/** The folders above `folder`, itself first: where Node looks for `node_modules`. */
function upwards(folder: string): string[] {
  const folders = [folder];
  for (let parent = dirname(folder); parent !== folders.at(-1); parent = dirname(parent)) folders.push(parent);
  return folders;
}

/** Every `@runometer/preset-*` package in a `node_modules` that `folders` resolve from, by name: the first folder that finds it wins. */
export function installedPresetPackages(folders: readonly string[]): string[] {
  const names = new Set<string>();
  for (const folder of folders) {
    for (const above of upwards(folder)) {
      const scope = join(above, 'node_modules', SCOPE);
      if (!existsSync(scope)) continue;
      for (const entry of readdirSync(scope)) if (entry.startsWith(PRESET_PREFIX)) names.add(`${SCOPE}/${entry}`);
    }
  }
  return [...names].sort();
}

/** The file `name` resolves to from the first of `folders` that resolves it, as the app's own import would; undefined if none does. */
export function resolveFromApp(name: string, folders: readonly string[]): string | undefined {
  for (const folder of folders) {
    try {
      return createRequire(join(folder, 'noop.js')).resolve(name);
    } catch {
      // Not from this folder: the next.
    }
  }
  return undefined;
}

/** The registered preset classes a module exports (a package also exports probes, constants, hooks). */
export function presetsExported(namespace: Readonly<Record<string, unknown>>): PresetClass[] {
  const registered = new Set(presetRegistry.names().map((name) => presetRegistry.get(name)));
  return Object.values(namespace).filter(
    (value): value is PresetClass => typeof value === 'function' && registered.has(value as PresetClass),
  );
}

/** A preset package the app resolves, imported. */
export interface LoadedPackage {
  readonly name: string;
  readonly namespace: Readonly<Record<string, unknown>>;
}

/** Imports each of `names` as the app resolves it: those it does not resolve are `missing`; those whose import threw, `failed`. */
export async function loadPackages(
  names: readonly string[],
  folders: readonly string[],
): Promise<{ loaded: LoadedPackage[]; missing: string[]; failed: { name: string; error: unknown }[] }> {
  const loaded: LoadedPackage[] = [];
  const missing: string[] = [];
  const failed: { name: string; error: unknown }[] = [];
  for (const name of names) {
    const file = resolveFromApp(name, folders);
    if (file === undefined) {
      missing.push(name);
      continue;
    }
    try {
      loaded.push({ name, namespace: (await import(pathToFileURL(file).href)) as Record<string, unknown> });
    } catch (error) {
      failed.push({ name, error });
    }
  }
  return { loaded, missing, failed };
}
