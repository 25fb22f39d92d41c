// @ts-check
// `npm run release:version` runs it after `changeset version`: a package that names its own version
// in src/version.ts (`@runometer/otel`, for its instrumentation scope) gets package.json's there.
// Each such package's version.test.ts fails when the two differ.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { root, workspacePackages } from './packages.js';

for (const { directory, manifest } of workspacePackages()) {
  const path = `${root}${directory}/src/version.ts`;
  if (!existsSync(path)) continue;
  const text = readFileSync(path, 'utf8');
  const written = text.replace(/export const VERSION = '[^']*';/, `export const VERSION = '${manifest.version}';`);
  if (written === text) continue;
  writeFileSync(path, written);
  console.log(`wrote ${directory}/src/version.ts`);
}
