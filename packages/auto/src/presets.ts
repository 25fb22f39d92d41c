import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** Every `@runometer/preset-*` package in a `node_modules` that `folders` resolve from, by name. */
export function installedPresetPackages(folders: readonly string[]): string[] {
  const names = new Set<string>();
  // Each folder once: the working directory's are often the entry's too.
  for (const above of new Set(folders.flatMap(upwards))) {
    const scope = join(above, 'node_modules', SCOPE);
    if (!existsSync(scope)) continue;
    for (const entry of readdirSync(scope)) if (entry.startsWith(PRESET_PREFIX)) names.add(`${SCOPE}/${entry}`);
  }
  return [...names].sort();
}

/**
 * The file `name` resolves to from the first of `folders` that resolves it, as the app's own
 * import would; undefined if none does. Where the app finds the package in the folder that this
 * module's own import finds it in (an npm install, a workspace), that import tells the file;
 * elsewhere (pnpm's strict layout, a global install), `createRequire` from each folder in turn,
 * which takes the file a package exports to `require` where it exports another to `import`.
 * node:module is loaded only then: with the CommonJS resolver's first use, it cost the preload's
 * start 1 to 2 ms of CPU on Node and 5 on Deno.
 */
export async function resolveFromApp(name: string, folders: readonly string[]): Promise<string | undefined> {
  const found = packageFolder(name, folders);
  if (found !== undefined) {
    const here = resolvedHere(name);
    if (here !== undefined && realpathSync.native(here).startsWith(`${realpathSync.native(found)}${sep}`)) return here;
  }
  const { createRequire } = await import('node:module');
  for (const folder of folders) {
    try {
      return createRequire(join(folder, 'noop.js')).resolve(name);
    } catch {
      // Not from this folder: the next.
    }
  }
  return undefined;
}

/** The folder of package `name` that resolution from `folders` stops at: the first `node_modules/<name>` upwards of the first folder that has one. */
function packageFolder(name: string, folders: readonly string[]): string | undefined {
  for (const folder of folders) {
    for (const above of upwards(folder)) {
      const candidate = join(above, 'node_modules', name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** The file `name` resolves to from this module, if it is a file. */
function resolvedHere(name: string): string | undefined {
  try {
    return fileURLToPath(import.meta.resolve(name));
  } catch {
    return undefined;
  }
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

/** Imports each of `names` as the app resolves it, together: those it does not resolve are `missing`; those whose import threw, `failed`. */
export async function loadPackages(
  names: readonly string[],
  folders: readonly string[],
): Promise<{ loaded: LoadedPackage[]; missing: string[]; failed: { name: string; error: unknown }[] }> {
  const loaded: LoadedPackage[] = [];
  const missing: string[] = [];
  const failed: { name: string; error: unknown }[] = [];
  // Each outcome is recorded once all have settled, in the order of `names`.
  const outcomes = await Promise.all(
    names.map(async (name) => {
      const file = await resolveFromApp(name, folders);
      if (file === undefined) return () => missing.push(name);
      try {
        const namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
        return () => loaded.push({ name, namespace });
      } catch (error) {
        return () => failed.push({ name, error });
      }
    }),
  );
  for (const record of outcomes) record();
  return { loaded, missing, failed };
}
