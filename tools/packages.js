// The workspace's packages, read from their package.json: what the packaging tools iterate over.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * @typedef {object} Manifest the parts of a package.json these tools read
 * @property {string} name
 * @property {string} version
 * @property {Record<string, Record<string, string>>} exports
 * @property {Record<string, string>} [dependencies]
 * @property {Record<string, string>} [peerDependencies]
 */

/** @typedef {{ directory: string, manifest: Manifest }} WorkspacePackage `directory` relative to the root, without a trailing slash */

/** The code a package ships: its TypeScript sources but their tests, as one text. @param {WorkspacePackage} pkg */
export function sourcesOf({ directory }) {
  return readdirSync(`${root}${directory}/src`, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => readFileSync(`${root}${directory}/src/${file}`, 'utf8'))
    .join('\n');
}

/** Every package under packages/, in the order of their directories. @returns {WorkspacePackage[]} */
export function workspacePackages() {
  return readdirSync(`${root}packages`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const directory = `packages/${entry.name}`;
      return { directory, manifest: /** @type {Manifest} */ (JSON.parse(readFileSync(`${root}${directory}/package.json`, 'utf8'))) };
    });
}

/**
 * What JSR gets from a package: its deno.json, from its package.json. Entry points are the
 * `@runometer/source` condition of `exports` (JSR serves TypeScript sources). `@runometer/*`
 * packages resolve to one another through the root deno.json's workspace (publishing turns them
 * into `jsr:` specifiers); every other dependency becomes an `npm:` specifier, with its subpaths
 * where `sources` (the package's code) import them.
 * @param {WorkspacePackage} pkg
 * @param {string} sources
 */
export function denoJson({ directory, manifest }, sources) {
  /** @type {Record<string, string>} */
  const exports = {};
  for (const [subpath, conditions] of Object.entries(manifest.exports)) {
    const source = conditions['@runometer/source'];
    if (source === undefined)
      throw new Error(`${directory}/package.json: exports["${subpath}"] has no "@runometer/source" condition for JSR to publish`);
    exports[subpath] = source;
  }
  /** @type {Record<string, string>} */
  const imports = {};
  for (const [name, range] of Object.entries({ ...manifest.peerDependencies, ...manifest.dependencies })) {
    if (name.startsWith('@runometer/') || name.startsWith('@types/')) continue;
    imports[name] = `npm:${name}@${range}`;
    if (sources.includes(`from '${name}/`)) imports[`${name}/`] = `npm:/${name}@${range}/`;
  }
  return {
    name: manifest.name,
    version: manifest.version,
    exports,
    ...(Object.keys(imports).length > 0 ? { imports } : {}),
    publish: { include: ['src', 'README.md', 'LICENSE'], exclude: ['src/**/*.test.ts'] },
  };
}
