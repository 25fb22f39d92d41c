import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DENO_EVERY_FIELD, currentRuntime, launch, runtimeNamed } from './runtimes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('launch: the command line of each runtime', () => {
  test('Node runs the built packages, with its flags before the file', () => {
    expect(launch('node', 'bench/x.js')).toEqual([process.execPath, 'bench/x.js']);
    expect(launch('node', 'accuracy/host.js', { exposeGc: true, runtimeFlags: ['--cpu-prof'] })).toEqual([
      process.execPath,
      '--expose-gc',
      '--cpu-prof',
      'accuracy/host.js',
    ]);
  });

  test('Node 20 cannot run the sources: the error says so and names the file', () => {
    expect(() => launch('node', 'test/render-presets.ts', { packages: 'sources' })).toThrow(
      'Node 20 cannot run TypeScript sources: run test/render-presets.ts over the built packages, or on Bun or Deno',
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
    expect(launch('deno', 'test/x.ts', { packages: 'sources', denoPermissions: ['--allow-sys=systemMemoryInfo'], exposeGc: true })).toEqual([
      `${root}node_modules/.bin/deno`,
      'run',
      '--allow-sys=systemMemoryInfo',
      '--no-prompt',
      '--config',
      `${root}deno.json`,
      '--v8-flags=--expose-gc',
      'test/x.ts',
    ]);
  });
});

test('runtimeNamed takes node, bun and deno, and names the runtimes it knows otherwise', () => {
  expect(['node', 'bun', 'deno'].map(runtimeNamed)).toEqual(['node', 'bun', 'deno']);
  expect(() => runtimeNamed('Bun')).toThrow('unknown runtime "Bun": expected one of node, bun, deno');
  expect(() => runtimeNamed(undefined)).toThrow('unknown runtime "undefined": expected one of node, bun, deno');
});

test('currentRuntime: vitest runs on Node', () => {
  expect(currentRuntime()).toBe('node');
});
