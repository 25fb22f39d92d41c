// Writes each package's deno.json (what JSR publishes) from its package.json, the one place for
// its name, version, entry points and dependencies: `node tools/deno-json.js` after `changeset
// version`; with `--check`, lists the stale files and exits with 1 instead (CI).
import { readFileSync, writeFileSync } from 'node:fs';
import { denoJson, root, sourcesOf, workspacePackages } from './packages.js';

const check = process.argv.includes('--check');
const stale = [];
for (const pkg of workspacePackages()) {
  const path = `${root}${pkg.directory}/deno.json`;
  const wanted = `${JSON.stringify(denoJson(pkg, sourcesOf(pkg)), null, 2)}\n`;
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
