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

/** Every package under packages/, in the order of their directories. @returns {WorkspacePackage[]} */
export function workspacePackages() {
  return readdirSync(`${root}packages`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const directory = `packages/${entry.name}`;
      return { directory, manifest: /** @type {Manifest} */ (JSON.parse(readFileSync(`${root}${directory}/package.json`, 'utf8'))) };
    });
}
