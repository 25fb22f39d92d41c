import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch, type Runtime } from '../tools/runtimes.js';
import { compile, installCore, type DecoratorForm } from './installed-core.js';

// A preset compiled as its author's tsconfig says, legacy (experimentalDecorators) or standard
// (TypeScript 5's default), run as JavaScript on Node, Bun and Deno; and run from its TypeScript by
// Deno (standard, unless a deno.json says otherwise) and by Bun (whichever the tsconfig.json of
// the directory it starts in says). Against a copy of core installed as npm would.

const fixture = fileURLToPath(new URL('decorator-forms/', import.meta.url));
const sources = ['visits-preset.ts', 'main.ts'];
const rendered = 'app,app=shop visits=42i';
let project: string;
let previous: ReturnType<typeof compile>['program'];
const errors: Partial<Record<DecoratorForm, string[]>> = {};

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'runometer-decorator-forms-'));
  await installCore(project);
  await writeFile(join(project, 'package.json'), JSON.stringify({ type: 'module' }));
  for (const dir of ['src', 'bun-legacy', 'bun-standard']) {
    await mkdir(join(project, dir));
    for (const file of sources) await cp(join(fixture, file), join(project, dir, file));
  }
  await writeFile(
    join(project, 'bun-legacy/tsconfig.json'),
    JSON.stringify({ compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true } }),
  );
  await writeFile(join(project, 'bun-standard/tsconfig.json'), JSON.stringify({ compilerOptions: {} }));
  const files = sources.map((file) => join(project, 'src', file));
  const legacy = compile(files, 'legacy', join(project, 'legacy'));
  errors.legacy = legacy.errors;
  const standard = compile(files, 'standard', join(project, 'standard'), legacy.program);
  errors.standard = standard.errors;
  previous = standard.program;
}, 120_000);

afterAll(() => rm(project, { recursive: true, force: true }));

function run(runtime: Runtime, file: string, cwd: string, runtimeFlags: string[] = []): Promise<string> {
  const [command, ...args] = launch(runtime, file, { denoPermissions: [], runtimeFlags });
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${runtime} ${file} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

describe('a preset compiled by tsc', () => {
  test('compiles without an error with the legacy flags and without them', async () => {
    expect(errors).toEqual({ legacy: [], standard: [] });
    // Each emit is the form it claims: TypeScript's helper for legacy decorators, or for standard ones.
    expect(await readFile(join(project, 'legacy/visits-preset.js'), 'utf8')).toMatch(/__decorate\(\[/);
    expect(await readFile(join(project, 'standard/visits-preset.js'), 'utf8')).toMatch(/__esDecorate\(/);
  });

  test.each([
    ['node', 'legacy'],
    ['node', 'standard'],
    ['bun', 'legacy'],
    ['bun', 'standard'],
    ['deno', 'legacy'],
    ['deno', 'standard'],
  ] as const)(
    'runs on %s, compiled %s, with the injected objects in its line',
    async (runtime, form) => {
      expect(await run(runtime, `${form}/main.js`, project)).toBe(`${form}\n${rendered}\n`);
    },
    60_000,
  );
});

test('without the flags, what stays an error is a parameter decorator: @inject(Token) on a constructor parameter, which inject replaces', async () => {
  const file = join(project, 'src/parameter-decorator.ts');
  await writeFile(
    file,
    `import { field, inject, preset } from '@runometer/core';
     class Probe {}
     @preset('parameter-decorator')
     export class ParameterDecorator {
       constructor(@inject(Probe) readonly probe: Probe) {}
       @field('x') x() { return 1; }
     }`,
  );
  expect(compile([file], 'legacy', undefined, previous).errors).toEqual([]);
  expect(compile([file], 'standard', undefined, previous).errors).toEqual(['TS1206: Decorators are not valid here.']);
}, 60_000);

test("core's typed checks hold under standard decorators: typed.test.ts compiles without the flags, each @ts-expect-error meeting its error", () => {
  const typedTests = fileURLToPath(new URL('../packages/core/src/typed.test.ts', import.meta.url));
  expect(compile([typedTests], 'standard').errors).toEqual([]);
}, 60_000);

describe('a preset run from its TypeScript', () => {
  test('by Deno without a deno.json: standard decorators', async () => {
    // Sloppy imports: the fixture imports `./visits-preset.js` as tsc wants, which is a .ts file here.
    expect(await run('deno', 'main.ts', join(project, 'src'), ['--sloppy-imports'])).toBe(`standard\n${rendered}\n`);
  }, 60_000);

  test.each(['legacy', 'standard'] as const)(
    'by Bun, from a directory whose tsconfig.json says %s',
    async (form) => {
      expect(await run('bun', 'main.ts', join(project, `bun-${form}`))).toBe(`${form}\n${rendered}\n`);
    },
    60_000,
  );

  test("by Bun, whose form is the tsconfig.json of the directory it starts in, not the file's", async () => {
    expect(await run('bun', 'bun-legacy/main.ts', project)).toBe(`standard\n${rendered}\n`);
  }, 60_000);
});
