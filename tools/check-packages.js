// `npm run check:packages` (CI): what a user of each package gets, checked before any release.
// For every package, from a clean state (no package built): it builds alone (`npm run build -w`),
// its tests run alone (`npm test -w`), and its packed tarball ships only what it should (no tests,
// no build info), passes publint (strict) and Are the Types Wrong. The packages are ESM only
// (README: Requirements), so attw runs with its `esm-only` profile: it leaves out node10
// resolution, which ignores `exports`, and CommonJS `require()`, which gets ESM (Node 20.19+ loads
// it; older Nodes need `import()`). Then every deno.json must match its package.json, and
// `deno publish --dry-run` must accept the workspace as JSR would.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, workspacePackages } from './packages.js';

const bin = (/** @type {string} */ name) => `${root}node_modules/.bin/${name}`;
/** Runs a command from the root, its output shown; throws when it fails. @param {string} command @param {string[]} args */
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });

/** Files that must never ship, and files every package must ship. */
const NEVER = [/\.test\.ts$/, /\.tsbuildinfo$/, /(^|\/)deno\.json$/];
const ALWAYS = ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.d.ts'];

const packages = workspacePackages();
const scratch = mkdtempSync(join(tmpdir(), 'runometer-packages-'));
/** @type {string[]} */
const problems = [];
try {
  for (const { directory, manifest } of packages) {
    console.log(`\n== ${manifest.name}`);
    for (const other of packages) {
      rmSync(`${root}${other.directory}/dist`, { recursive: true, force: true });
      rmSync(`${root}${other.directory}/compiled`, { recursive: true, force: true });
      rmSync(`${root}${other.directory}/tsconfig.tsbuildinfo`, { force: true });
    }
    run('npm', ['run', 'build', '-w', manifest.name]);
    run('npm', ['test', '-w', manifest.name]);

    /** @type {[{ filename: string, files: { path: string }[] }]} */
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', scratch, '-w', manifest.name], { cwd: root, encoding: 'utf8' }),
    );
    const files = packed.files.map((file) => file.path);
    for (const file of files.filter((path) => NEVER.some((pattern) => pattern.test(path)))) problems.push(`${manifest.name} ships ${file}`);
    for (const file of ALWAYS.filter((path) => !files.includes(path))) problems.push(`${manifest.name} does not ship ${file}`);
    console.log(`packed ${files.length} files: ${[...new Set(files.map((path) => path.split('/')[0]))].join(', ')}`);
    const tarball = join(scratch, packed.filename);
    run(bin('publint'), ['run', tarball, '--strict']);
    run(bin('attw'), [tarball, '--profile', 'esm-only', '--no-emoji']);
    console.log(`${directory}: built and tested alone; packed, publint and attw pass`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
  // Leave every package built, as `npm run build` does.
  run('npm', ['run', 'build']);
}

run('node', [`${root}tools/deno-json.js`, '--check']);
// The presets' public API still has types JSR calls slow (inferred return types): until they are
// written out, the dry run allows them; it checks everything else JSR would.
run(bin('deno'), ['publish', '--dry-run', '--allow-dirty', '--allow-slow-types']);

if (problems.length > 0) {
  console.error(`\nPackaging problems:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  process.exitCode = 1;
}
