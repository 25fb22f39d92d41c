import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildPackages } from '../test/runtimes.js';

// docs/write-a-preset.md, run: every block titled with a file name is written into a package
// folder (`../checkout/…` into the app beside it) whose @runometer/core and @runometer/runtime are
// this repository's, built; then the package's own scripts with TypeScript 7 (npm's `latest`,
// what the guide's install line brings) and 5.9, packing, JSR's dry run, the app on each runtime,
// and the mistakes the guide shows, each against what the guide says.

const root = fileURLToPath(new URL('..', import.meta.url));
const guideUrl = new URL('../docs/write-a-preset.md', import.meta.url);
const guide = readFileSync(guideUrl, 'utf8');

interface Block {
  readonly lang: string;
  readonly title: string | undefined;
  /** A mistake: compiled apart from the package, it must fail with the text block that follows it. */
  readonly fails: boolean;
  /** The decorator form a block is written for, when it is not the default (standard) one. */
  readonly form: string | undefined;
  readonly body: string;
}

const blocks: Block[] = [...guide.matchAll(/^```(\w+)(.*)\n([\s\S]*?)^```$/gm)].map(([, lang, info, body]) => ({
  lang: lang!,
  title: /\btitle="([^"]+)"/.exec(info!)?.[1],
  fails: /(^|\s)fails(\s|$)/.test(info!),
  form: /\bform="([^"]+)"/.exec(info!)?.[1],
  body: body!,
}));

/** The text block right after `block`: what the guide says it prints. */
function printed(block: Block): string {
  const next = blocks[blocks.indexOf(block) + 1];
  if (next?.lang !== 'text') throw new Error(`the block after ${block.title} is not a text block`);
  return next.body;
}

/** The block of the file `title`, as written for `form` (by default, the standard decorators'). */
function file(title: string, form?: 'legacy'): Block {
  const found = blocks.filter((block) => block.title === title && !block.fails && block.form === form);
  if (found.length !== 1) throw new Error(`docs/write-a-preset.md has ${found.length} blocks titled ${title}`);
  return found[0]!;
}

let folder: string;
/** The package's folder, which the guide's titles are relative to, and the app's beside it. */
let presetDir: string;
let appDir: string;
const packageJson = JSON.parse(file('package.json').body) as {
  name: string;
  version: string;
  scripts: Record<string, string>;
  sideEffects: unknown;
  devDependencies: Record<string, string>;
};
const app = file('../checkout/app.js');
const FORMS = ['standard', 'legacy'] as const;
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

/**
 * The compilers the package is built and tested with: TypeScript 7 (the root's `typescript7`, an
 * alias of typescript@7), which `npm install typescript` gives today, then 5.9 (the workspace's
 * own), which the guide says how to stay on. Both with the @types/node the install line gives
 * (the root's `types-node26`). The guide's output of a mistake is TypeScript 7's.
 */
const COMPILERS = [
  { name: 'TypeScript 7', folder: `${root}node_modules/typescript7`, major: 7 },
  { name: 'TypeScript 5.9', folder: `${root}node_modules/typescript`, major: 5 },
] as const;
type Compiler = (typeof COMPILERS)[number];
const TYPES_NODE = `${root}node_modules/types-node26`;

/** The version of the package in `folder`. */
const versionOf = (folder: string) => (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { version: string }).version;

/** Makes `compiler` the package's `typescript` and its `tsc`, as `npm install` would. */
function useCompiler(compiler: Compiler): void {
  for (const path of [join(presetDir, 'node_modules/typescript'), join(presetDir, 'node_modules/.bin/tsc')]) rmSync(path, { force: true });
  link(join(presetDir, 'node_modules/typescript'), compiler.folder);
  link(join(presetDir, 'node_modules/.bin/tsc'), `${compiler.folder}/bin/tsc`);
}
/** The guide's commands that run the app: `node app.js`, `bun app.js`, `deno run app.js`. */
const APP_COMMANDS: [string, string, string[]][] = [
  ['node', process.execPath, ['app.js']],
  ['bun', bin('bun'), ['app.js']],
  ['deno', bin('deno'), ['run', 'app.js']],
];

function link(from: string, to: string): void {
  mkdirSync(dirname(from), { recursive: true });
  symlinkSync(to, from);
}

/** What the harness's own vitest sets, which would steer the package's vitest. */
const childEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && !['NODE_OPTIONS', 'NODE_ENV', 'TEST'].includes(key)),
);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` in `cwd` and gives its exit code and output, failed or not. */
function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, env: { ...childEnv, NO_COLOR: '1' }, timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'write-a-preset-'));
  presetDir = join(folder, 'runometer-preset-jobs');
  appDir = join(folder, 'checkout');
  // The package resolves @runometer/* to dist/, as from npm: build core and runtime (the build writes nothing when they are up to date).
  await buildPackages('packages/runtime');
  for (const block of blocks) {
    if (block.title === undefined || block.fails || block.form !== undefined) continue;
    const path = join(presetDir, block.title);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, block.body);
  }
  // What `npm install` gives the package and the app, from this repository.
  link(join(presetDir, 'node_modules/@runometer/core'), `${root}packages/core`);
  link(join(presetDir, 'node_modules/@runometer/runtime'), `${root}packages/runtime`);
  link(join(presetDir, 'node_modules/@types/node'), TYPES_NODE);
  link(join(presetDir, 'node_modules/vitest'), `${root}node_modules/vitest`);
  link(join(presetDir, 'node_modules/.bin/vitest'), bin('vitest'));
  useCompiler(COMPILERS[0]);
  link(join(appDir, 'node_modules/@runometer/core'), `${root}packages/core`);
  link(join(appDir, 'node_modules', packageJson.name), presetDir);
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
}, 180_000);

afterAll(() => {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
});

/** The app's output with the heap's headroom, which is the process's own, as one number. */
const sameHeadroom = (output: string) => output.replace(/heap_headroom_bytes=\d+i/g, 'heap_headroom_bytes=1i');

describe('docs/write-a-preset.md', () => {
  test('every block of code or configuration is titled with its file; each mistake is followed by its error', () => {
    expect(blocks.filter((block) => ['ts', 'js', 'json', 'md'].includes(block.lang) && block.title === undefined)).toEqual([]);
    expect(blocks.filter((block) => block.fails && blocks[blocks.indexOf(block) + 1]?.lang !== 'text')).toEqual([]);
  });

  test('every npm script its commands run is a script of its package.json', () => {
    const commands = blocks.filter((block) => block.lang === 'sh').map((block) => block.body);
    const scripts = commands.flatMap((body) => [...body.matchAll(/\bnpm (?:run (\S+)|(test))\b/g)].map(([, name, test]) => name ?? test!));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((name) => packageJson.scripts[name] === undefined)).toEqual([]);
  });

  test("its package.json's devDependencies are what its install line gives today, and what this test runs", () => {
    // npm writes `^` and the version it installed; vitest 5 needs Node 22.12, so on Node 20 npm gives vitest 4.
    const installed = {
      '@changesets/cli': versionOf(`${root}node_modules/@changesets/cli`),
      '@runometer/core': versionOf(`${root}packages/core`),
      '@types/node': versionOf(TYPES_NODE),
      typescript: versionOf(COMPILERS[0].folder),
      vitest: versionOf(`${root}node_modules/vitest`),
    };
    const caret = (range: string, version: string) => {
      const [wanted, got] = [range.replace(/^\^/, ''), version].map((v) => v.split('.').map(Number)) as [number[], number[]];
      return range.startsWith('^') && got[0] === wanted[0] && (got[1]! > wanted[1]! || (got[1] === wanted[1] && got[2]! >= wanted[2]!));
    };
    expect(Object.keys(packageJson.devDependencies).sort()).toEqual(Object.keys(installed).sort());
    for (const [name, version] of Object.entries(installed)) {
      if (name === '@runometer/core') expect(packageJson.devDependencies[name]).toBe('0.x');
      else
        expect(caret(packageJson.devDependencies[name]!, version), `${name} ${packageJson.devDependencies[name]} and ${version}`).toBe(
          true,
        );
    }
    expect(versionOf(COMPILERS[1].folder)).toMatch(/^5\.9\./);
    expect(guide).toContain('npm install --save-dev @runometer/core typescript vitest @types/node @changesets/cli');
  });

  test('its deno.json and changeset name the package of its package.json', () => {
    const denoJson = JSON.parse(file('deno.json').body) as { name: string; version: string };
    expect([denoJson.name, denoJson.version]).toEqual([packageJson.name, packageJson.version]);
    expect(file('.changeset/first-release.md').body).toMatch(new RegExp(`^---\\n"${packageJson.name}": (patch|minor|major)\\n---\\n`));
  });

  test('its relative links lead to files of the repository', () => {
    const links = [...guide.matchAll(/\]\(([^)#:]+)(?:#[^)]*)?\)/g)].map(([, path]) => path!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((path) => !existsSync(new URL(path, guideUrl)))).toEqual([]);
  });

  describe.each(COMPILERS)('with $name', (compiler) => {
    beforeAll(() => useCompiler(compiler));

    test('its tsc is that TypeScript', async () => {
      expect((await run(join(presetDir, 'node_modules/.bin/tsc'), ['--version'], presetDir)).stdout).toMatch(
        new RegExp(`^Version ${compiler.major}\\.`),
      );
    });

    describe.each(FORMS)('and %s decorators', (form) => {
      beforeAll(() => writeFileSync(join(presetDir, 'tsconfig.json'), file('tsconfig.json', form === 'standard' ? undefined : form).body));
      afterAll(() => writeFileSync(join(presetDir, 'tsconfig.json'), file('tsconfig.json').body));

      test('npm test: the package type-checks, and its tests pass', async () => {
        rmSync(join(presetDir, 'build'), { recursive: true, force: true });
        const tests = blocks
          .filter((block) => block.title?.endsWith('.test.ts'))
          .flatMap((block) => [...block.body.matchAll(/^test\(/gm)]).length;
        const { code, stdout, stderr } = await run('npm', ['test'], presetDir);
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
        expect(stdout).toMatch(new RegExp(`Tests +${tests} passed \\(${tests}\\)`));
        expect(readFileSync(join(presetDir, 'build/jobs-preset.js'), 'utf8')).toMatch(
          form === 'standard' ? /__esDecorate\(/ : /__decorate\(\[/,
        );
      }, 180_000);

      // Why the tests run on build/: vitest's own compiler (Oxc) reads the sources whatever TypeScript is installed, so once.
      if (compiler === COMPILERS[0]) {
        test(`vitest on the sources ${form === 'standard' ? 'fails at the first standard decorator' : 'runs the tests too'}`, async () => {
          const { code, stdout, stderr } = await run(bin('vitest'), ['run', '--dir', 'src'], presetDir);
          if (form === 'standard') {
            expect(code).toBe(1);
            expect(`${stdout}${stderr}`).toContain('SyntaxError: Invalid or unexpected token');
          } else {
            expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
          }
        }, 180_000);
      }

      test(`npm run build writes dist/, with TypeScript's helper for ${form} decorators`, async () => {
        rmSync(join(presetDir, 'dist'), { recursive: true, force: true });
        expect(await run('npm', ['run', 'build', '--silent'], presetDir)).toEqual({ code: 0, stdout: '', stderr: '' });
        expect(readFileSync(join(presetDir, 'dist/jobs-preset.js'), 'utf8')).toMatch(
          form === 'standard' ? /__esDecorate\(/ : /__decorate\(\[/,
        );
        expect(existsSync(join(presetDir, 'dist/index.d.ts'))).toBe(true);
      }, 180_000);

      test.each(APP_COMMANDS)(
        'the app prints what the guide shows on %s (the headroom left out on Bun)',
        async (runtime, command, args) => {
          writeFileSync(join(appDir, 'app.js'), app.body);
          const expected = runtime === 'bun' ? printed(app).replace(/,heap_headroom_bytes=\d+i/, '') : printed(app);
          const { code, stdout, stderr } = await run(command, args, appDir);
          expect({ code, stderr, stdout: sameHeadroom(stdout) }).toEqual({ code: 0, stderr: '', stdout: `${sameHeadroom(expected)}\n` });
        },
        180_000,
      );
    });

    test('each mistake it shows fails to compile with the error it shows, and nothing else', async () => {
      const mistakes = blocks.filter((block) => block.fails);
      expect(mistakes.map((block) => block.title)).toEqual([
        'src/inject-on-a-parameter.ts',
        'src/waiting-as-text.ts',
        'src/tokens-swapped.ts',
      ]);
      // Each compiled with the package's options, alone with what it imports.
      const project = join(presetDir, 'tsconfig.mistake.json');
      for (const mistake of mistakes) {
        const path = join(presetDir, mistake.title!);
        writeFileSync(path, mistake.body);
        writeFileSync(project, JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true }, include: [mistake.title] }));
        try {
          const { code, stdout, stderr } = await run(join(presetDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.mistake.json'], presetDir);
          // Failed: TypeScript 5.9 exits 2 (errors, and noEmit), 7 exits 1.
          expect({ failed: code === 1 || code === 2, stderr }).toEqual({ failed: true, stderr: '' });
          if (compiler.major === 7) {
            expect(stdout).toBe(printed(mistake));
          } else {
            // TypeScript 5.9 says the same errors, its elaborations with a step or two more.
            const errors = (text: string) => text.split('\n').filter((line) => /^\S/.test(line));
            expect(errors(stdout)).toEqual(errors(printed(mistake)));
            const lines = stdout.split('\n').map((line) => line.trim());
            let at = 0;
            for (const line of printed(mistake)
              .split('\n')
              .map((shown) => shown.trim())) {
              at = lines.indexOf(line, at);
              expect(at, `${mistake.title}: ${line}`).toBeGreaterThanOrEqual(0);
            }
          }
        } finally {
          rmSync(path);
          rmSync(project);
        }
      }
    }, 180_000);
  });

  // What follows reads the standard build of TypeScript 7, which npm install gives, the tsconfig.json restored.
  describe('as written', () => {
    beforeAll(() => useCompiler(COMPILERS[0]));

    test('publint --strict finds the package ready to publish', async () => {
      expect(await run('npm', ['run', 'build', '--silent'], presetDir)).toEqual({ code: 0, stdout: '', stderr: '' });
      const publint = await run(bin('publint'), ['run', '--strict'], presetDir);
      expect(publint).toMatchObject({ code: 0 });
      expect(publint.stdout).toContain('All good!');
    }, 180_000);

    test('deno publish --dry-run accepts the package as JSR would', async () => {
      const { code, stderr } = await run(bin('deno'), ['publish', '--dry-run', '--allow-dirty'], presetDir);
      expect({ code, last: stderr.trim().split('\n').at(-1) }).toEqual({ code: 0, last: 'Success Dry run complete' });
    }, 180_000);

    test('bundled, the app finds the preset with "sideEffects": true, and not with false', async () => {
      writeFileSync(join(appDir, 'app.js'), app.body);
      const bundle = async () => {
        await build({
          input: join(appDir, 'app.js'),
          platform: 'node',
          logLevel: 'silent',
          output: { file: join(appDir, 'bundle.mjs'), format: 'esm' },
        });
        return run(process.execPath, ['bundle.mjs'], appDir);
      };
      expect(packageJson.sideEffects).toBe(true);
      expect(sameHeadroom((await bundle()).stdout)).toBe(`${sameHeadroom(printed(app))}\n`);

      const packagePath = join(presetDir, 'package.json');
      writeFileSync(packagePath, file('package.json').body.replace('"sideEffects": true', '"sideEffects": false'));
      try {
        const missing = 'no preset named "acme-jobs" is installed (installed: none); import its package first';
        expect(guide.replace(/\s+/g, ' ')).toContain(missing);
        const { code, stderr } = await bundle();
        expect(code).toBe(1);
        expect(stderr).toContain(`RegistrationError: ${missing}`);
      } finally {
        writeFileSync(packagePath, file('package.json').body);
      }
    }, 180_000);

    test("a meter that uses the preset before the app registered its queues fails with the guide's message", async () => {
      const registration = /^container\.register\(.*\n/m;
      expect(app.body).toMatch(registration);
      writeFileSync(join(appDir, 'unregistered.js'), app.body.replace(registration, ''));
      const error = blocks.find((block) => block.lang === 'text' && block.body.includes('Cannot inject'))!;
      const { code, stderr } = await run(process.execPath, ['unregistered.js'], appDir);
      expect(code).toBe(1);
      expect(stderr).toContain(error.body);
    }, 180_000);
  });
});
