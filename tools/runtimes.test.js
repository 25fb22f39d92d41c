import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import {
  DENO_EVERY_FIELD,
  EVERY_RUNTIME,
  NODES,
  RUNTIMES,
  currentRuntime,
  isNode,
  launch,
  nameOf,
  preloadFlags,
  runtimeNamed,
} from './runtimes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

// This machine, as CI's: Linux x64, where npm installs node_modules' Nodes.
test("the runtimes: one of each by default; every Node, the tools' own first, then Bun and Deno", () => {
  expect(RUNTIMES).toEqual(['node', 'bun', 'deno']);
  expect(NODES).toEqual(['node', 'node22', 'node24', 'node26']);
  expect(EVERY_RUNTIME).toEqual(['node', 'node22', 'node24', 'node26', 'bun', 'deno']);
  expect(EVERY_RUNTIME.filter(isNode)).toEqual(NODES);
  expect(EVERY_RUNTIME.map(nameOf)).toEqual(['node', 'node', 'node', 'node', 'bun', 'deno']);
});

describe('launch: the command line of each runtime', () => {
  test('the Node that runs the tools runs the built packages, with its flags before the file', () => {
    expect(launch('node', 'bench/x.js')).toEqual([process.execPath, 'bench/x.js']);
    expect(launch('node', 'accuracy/host.js', { exposeGc: true, runtimeFlags: ['--cpu-prof'] })).toEqual([
      process.execPath,
      '--expose-gc',
      '--cpu-prof',
      'accuracy/host.js',
    ]);
  });

  test.each(/** @type {const} */ (['node22', 'node24', 'node26']))("%s: node_modules' binary of that line, the same flags", (runtime) => {
    expect(launch(runtime, 'accuracy/host.js', { exposeGc: true })).toEqual([
      `${root}node_modules/${runtime}/bin/node`,
      '--expose-gc',
      'accuracy/host.js',
    ]);
    const [binary] = launch(runtime, 'x.js');
    expect(execFileSync(binary, ['--version'], { encoding: 'utf8' })).toMatch(new RegExp(`^v${runtime.slice('node'.length)}\\.`));
  });

  test('no Node runs the sources (type stripping leaves decorators): the error says so and names the file', () => {
    expect(() => launch('node', 'test/render-presets.ts', { packages: 'sources' })).toThrow(
      "node cannot run the packages' TypeScript sources (decorators): run test/render-presets.ts over the built packages, or on Bun or Deno",
    );
    expect(() => launch('node24', 'test/x.ts', { packages: 'sources' })).toThrow(
      "node24 cannot run the packages' TypeScript sources (decorators)",
    );
  });

  test('Bun: the binary from node_modules, the @runometer/source condition for sources', () => {
    expect(launch('bun', 'bench/x.js')).toEqual([`${root}node_modules/.bin/bun`, 'bench/x.js']);
    expect(launch('bun', 'test/x.ts', { packages: 'sources', exposeGc: true })).toEqual([
      `${root}node_modules/.bin/bun`,
      '--conditions=@runometer/source',
      'test/x.ts',
    ]);
  });

  test("Deno: every field's permission by default, the root workspace for sources, node_modules' dist otherwise", () => {
    expect(DENO_EVERY_FIELD).toEqual(['--allow-all']);
    expect(launch('deno', 'bench/x.js')).toEqual([
      `${root}node_modules/.bin/deno`,
      'run',
      '--allow-all',
      '--no-prompt',
      '--no-config',
      '--node-modules-dir=manual',
      'bench/x.js',
    ]);
    expect(launch('deno', 'test/x.ts', { packages: 'sources', denoPermissions: ['--allow-sys=systemMemoryInfo'], exposeGc: true })).toEqual(
      [
        `${root}node_modules/.bin/deno`,
        'run',
        '--allow-sys=systemMemoryInfo',
        '--no-prompt',
        '--config',
        `${root}deno.json`,
        '--v8-flags=--expose-gc',
        'test/x.ts',
      ],
    );
  });
});

test('runtimeNamed takes every runtime of the table, and names them otherwise', () => {
  expect(['node', 'node22', 'node24', 'node26', 'bun', 'deno'].map(runtimeNamed)).toEqual([
    'node',
    'node22',
    'node24',
    'node26',
    'bun',
    'deno',
  ]);
  const known = 'expected one of node, node22, node24, node26, bun, deno';
  expect(() => runtimeNamed('Bun')).toThrow(`unknown runtime "Bun": ${known}`);
  expect(() => runtimeNamed('node20')).toThrow(`unknown runtime "node20": ${known}`);
  expect(() => runtimeNamed(undefined)).toThrow(`unknown runtime "undefined": ${known}`);
});

test('currentRuntime: vitest runs on Node', () => {
  expect(currentRuntime()).toBe('node');
});

test("preloadFlags: Node's --import and Bun's --preload take the package's name, Deno's --preload its module's path", () => {
  expect(preloadFlags('node', '@runometer/auto')).toEqual(['--import', '@runometer/auto']);
  expect(preloadFlags('node24', '@runometer/auto')).toEqual(['--import', '@runometer/auto']);
  expect(preloadFlags('bun', '@runometer/auto')).toEqual(['--preload', '@runometer/auto']);
  expect(preloadFlags('deno', '@runometer/auto')).toEqual(['--preload', `${root}node_modules/@runometer/auto/dist/index.js`]);
});
