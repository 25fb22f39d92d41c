// Writes each package's deno.json (what JSR publishes) from its package.json, the one place for
// its name, version, entry points and dependencies: `node tools/deno-json.js` after `changeset
// version`; with `--check`, lists the stale files and exits with 1 instead (CI).
// Entry points are the `@runometer/source` condition of `exports`: JSR serves TypeScript sources.
// `@runometer/*` packages resolve to one another through the root deno.json's workspace (JSR
// publishing turns them into `jsr:` specifiers); every other dependency is an `npm:` specifier.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { root, workspacePackages } from './packages.js';

/** @param {import('./packages.js').WorkspacePackage} pkg */
function denoJson({ directory, manifest }) {
  /** @type {Record<string, string>} */
  const exports = {};
  for (const [subpath, conditions] of Object.entries(manifest.exports)) {
    const source = conditions['@runometer/source'];
    if (source === undefined) throw new Error(`${directory}/package.json: exports["${subpath}"] has no "@runometer/source" condition for JSR to publish`);
    exports[subpath] = source;
  }
  const sources = readdirSync(`${root}${directory}/src`, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
    .map((file) => readFileSync(`${root}${directory}/src/${file}`, 'utf8'))
    .join('\n');
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

const check = process.argv.includes('--check');
const stale = [];
for (const pkg of workspacePackages()) {
  const path = `${root}${pkg.directory}/deno.json`;
  const wanted = `${JSON.stringify(denoJson(pkg), null, 2)}\n`;
  let present = '';
  try {
    present = readFileSync(path, 'utf8');
  } catch {
    // Written below, or reported as stale.
  }
  if (present === wanted) continue;
  stale.push(`${pkg.directory}/deno.json`);
  if (!check) writeFileSync(path, wanted);
}
if (check && stale.length > 0) {
  console.error(`Stale, not what package.json says (run \`node tools/deno-json.js\`): ${stale.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log(check ? 'deno.json of every package matches its package.json' : `deno.json written: ${stale.join(', ') || 'none changed'}`);
}
