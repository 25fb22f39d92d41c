import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildPackages } from './runtimes.js';

// What an app's compiler reads of the packages: their published declarations (dist/), every
// entry point of every package, type-checked as a project that checks its dependencies does
// (`skipLibCheck: false`), with the workspace's TypeScript 5.9 and with TypeScript 7, npm's
// `latest`, which an app installing `typescript` today gets.

const root = fileURLToPath(new URL('..', import.meta.url));
const COMPILERS = { 'TypeScript 5.9': `${root}node_modules/typescript/bin/tsc`, 'TypeScript 7': `${root}node_modules/typescript7/bin/tsc` };
let folder: string;

beforeAll(async () => {
  // The build writes nothing when dist/ is up to date.
  await buildPackages();
  // Inside the repository, so that `@runometer/*` resolve through its node_modules, as an app's do.
  folder = mkdtempSync(join(root, '.declarations-'));
  const imports = readdirSync(`${root}packages`).flatMap((directory) => {
    const manifest = JSON.parse(readFileSync(`${root}packages/${directory}/package.json`, 'utf8')) as {
      name: string;
      private?: boolean;
      exports: Record<string, unknown>;
    };
    if (manifest.private) return [];
    return Object.keys(manifest.exports)
      .filter((entry) => !entry.endsWith('.json'))
      .map((entry, index) => `export * as ${directory.replace(/\W/g, '_')}_${index} from '${manifest.name}${entry.slice(1)}';\n`);
  });
  expect(imports.length).toBeGreaterThan(10);
  writeFileSync(join(folder, 'app.ts'), imports.join(''));
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
      },
      files: ['app.ts'],
    }),
  );
}, 180_000);

afterAll(() => {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

test.each(Object.entries(COMPILERS))(
  "the packages' declarations type-check with %s and skipLibCheck: false",
  async (_, tsc) => {
    const { stdout } = await promisify(execFile)(process.execPath, [tsc, '-p', folder], { cwd: root }).catch(
      (error: { stdout: string }) => error,
    );
    expect(stdout).toBe('');
  },
  120_000,
);
