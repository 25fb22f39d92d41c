import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { appFolders, installedPresetPackages, loadPackages, presetsExported, resolveFromApp } from './presets.js';

// An app outside the repository, whose packages this module's own folder cannot resolve:
// /tmp/…/srv/app (its entry server.js) with presets in its node_modules and in one above it.
const root = mkdtempSync(join(tmpdir(), 'runometer-auto-'));
const app = join(root, 'srv', 'app');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function installed(folder: string, name: string, source: string): void {
  const directory = join(folder, 'node_modules', ...name.split('/'));
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'package.json'), JSON.stringify({ name, type: 'module', exports: { '.': { default: './index.js' } } }));
  writeFileSync(join(directory, 'index.js'), source);
}

installed(app, '@runometer/preset-local', 'export const where = "app";');
installed(join(root, 'srv'), '@runometer/preset-above', 'export const where = "above";');
installed(join(root, 'srv'), '@runometer/preset-local', 'export const where = "shadowed";');
installed(app, '@runometer/preset-broken', 'throw new Error("broken at import");');
installed(app, '@runometer/core', 'export {};');
installed(app, '@acme/preset-other', 'export {};');

test("the app's folders: its entry's, then the working directory, once each", () => {
  expect(appFolders('server.js', app)).toEqual([app]);
  expect(appFolders(join(app, 'server.js'), '/')).toEqual([app, '/']);
  expect(appFolders(undefined, app)).toEqual([app]);
});

test('every @runometer/preset-* in a node_modules the app resolves from, its own and those above, and nothing else', () => {
  expect(installedPresetPackages([app])).toEqual(['@runometer/preset-above', '@runometer/preset-broken', '@runometer/preset-local']);
  expect(installedPresetPackages([join(root, 'srv')])).toEqual(['@runometer/preset-above', '@runometer/preset-local']);
});

test("resolved as the app's own import would, which this module's folder could not", async () => {
  expect(() => createRequire(import.meta.url).resolve('@runometer/preset-local')).toThrow(/Cannot find/);
  expect(await resolveFromApp('@runometer/preset-local', ['/', app])).toBe(join(app, 'node_modules/@runometer/preset-local/index.js'));
  expect(await resolveFromApp('@runometer/preset-nowhere', [app])).toBeUndefined();
  const { loaded, missing, failed } = await loadPackages(
    ['@runometer/preset-local', '@runometer/preset-above', '@runometer/preset-nowhere', '@runometer/preset-broken'],
    [app],
  );
  expect(loaded.map(({ name, namespace }) => [name, namespace['where']])).toEqual([
    ['@runometer/preset-local', 'app'],
    ['@runometer/preset-above', 'above'],
  ]);
  expect(missing).toEqual(['@runometer/preset-nowhere']);
  expect(failed.map(({ name, error }) => [name, (error as Error).message])).toEqual([['@runometer/preset-broken', 'broken at import']]);
});

test("where the app finds a package in the folder this module finds it in, this module's import tells the file, as the app's import would; where in another, the app's copy is the one", async () => {
  // Hono exports one file to import and another to require: the app's own import takes the first.
  const repository = fileURLToPath(new URL('../../..', import.meta.url));
  expect(await resolveFromApp('hono', [join(repository, 'bench')])).toBe(join(repository, 'node_modules/hono/dist/index.js'));
  const shadowing = join(root, 'shadowing');
  installed(shadowing, '@runometer/preset-memory', 'export const where = "the app\'s copy";');
  expect(await resolveFromApp('@runometer/preset-memory', [shadowing])).toBe(
    join(shadowing, 'node_modules/@runometer/preset-memory/index.js'),
  );
});

test('the preset classes a package exports, not its probes or constants', async () => {
  const memory = await import('@runometer/preset-memory');
  expect(presetsExported(memory)).toEqual([memory.MemoryPreset]);
  const http = await import('@runometer/preset-http');
  expect(presetsExported(http)).toEqual([http.HttpPreset]);
});
