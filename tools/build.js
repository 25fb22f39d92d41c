// `npm run build`, and each package's own: TypeScript compiles the packages (`tsc -b`: their
// modules into compiled/, their declarations into dist/), then esbuild bundles each entry point
// of each package into dist/, one module per entry point (and a chunk for what two entry points
// or a dynamic import share). Node loads a module in about half a millisecond here, and a package
// was up to 35 of them: cold start (bench/cold-start.bench.js). The bundle is TypeScript's own
// output joined, so decorator metadata and every helper are tsc's.
// `node tools/build.js [project]`: the tsc project to build (a folder or tsconfig file, relative
// to the working directory), by default the root's tsconfig.build.json; then every package that
// has compiled/ is bundled. Writes only files whose content changed, each by an atomic rename:
// tests build while other tests' children read dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { root, workspacePackages } from './packages.js';

/**
 * Dependencies bundled into their package rather than imported: tsyringe ships its ES modules
 * only through `module` and `es2015` fields that Node ignores, so Node loads its CommonJS build,
 * 42 files through the CommonJS loader (about 40 ms at start); reflect-metadata and tslib come
 * with it. Core keeps one container whichever copy of tsyringe loads first (src/preset/di.ts).
 */
const INLINED = new Set(['tsyringe', 'reflect-metadata', 'tslib']);

const project = resolve(process.argv[2] ?? `${root}tsconfig.build.json`);
execFileSync(`${root}node_modules/.bin/tsc`, ['-b', project], { stdio: 'inherit' });

for (const { directory, manifest } of workspacePackages()) {
  const folder = `${root}${directory}`;
  if (existsSync(`${folder}/compiled`)) await bundle(folder, manifest);
}

/**
 * @param {string} folder
 * @param {import('./packages.js').Manifest & { bin?: Record<string, string> }} manifest
 */
async function bundle(folder, manifest) {
  const shipped = [...Object.values(manifest.exports).map((conditions) => conditions['default']), ...Object.values(manifest.bin ?? {})];
  const entryPoints = shipped.map((path) => {
    const out = /^\.\/dist\/(.+)\.js$/.exec(path ?? '')?.[1];
    if (out === undefined) throw new Error(`${manifest.name}: entry point ${path} is not a .js file in dist/`);
    return { in: `${folder}/compiled/${out}.js`, out };
  });
  const dependencies = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  const { outputFiles } = await build({
    entryPoints,
    outdir: `${folder}/dist`,
    bundle: true,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    format: 'esm',
    platform: 'node',
    target: 'es2022',
    mainFields: ['es2015', 'module', 'main'],
    external: dependencies.filter((name) => !INLINED.has(name)),
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'inline',
    logLevel: 'warning',
    write: false,
  });
  const written = new Set(outputFiles.map((file) => file.path));
  for (const file of outputFiles) {
    const present = existsSync(file.path) ? readFileSync(file.path) : undefined;
    if (present !== undefined && Buffer.compare(present, file.contents) === 0) continue;
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(`${file.path}.tmp`, file.contents);
    renameSync(`${file.path}.tmp`, file.path);
  }
  // What an earlier build left in dist/ (a chunk of another hash, a module tsc once wrote there), so that it never ships.
  for (const file of readdirSync(`${folder}/dist`, { recursive: true, encoding: 'utf8' })) {
    const path = join(folder, 'dist', file);
    if (/\.js(\.map)?$/.test(file) && !written.has(path)) rmSync(path);
  }
}
