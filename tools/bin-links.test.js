import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { removeNodeBinLink, restoreTypeScriptBinLinks } from './bin-links.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test("removes a link to a Node package's bin, and nothing else", () => {
  dir = mkdtempSync(join(tmpdir(), 'runometer-bin-'));
  symlinkSync('../node24/bin/node', join(dir, 'node'));
  expect(removeNodeBinLink(dir)).toBe(true);
  expect(existsSync(join(dir, 'node'))).toBe(false);
  expect(removeNodeBinLink(dir)).toBe(false);

  symlinkSync('../some-tool/bin/node', join(dir, 'node'));
  expect(removeNodeBinLink(dir)).toBe(false);
  expect(readlinkSync(join(dir, 'node'))).toBe('../some-tool/bin/node');
  rmSync(join(dir, 'node'));
  writeFileSync(join(dir, 'node'), '#!/bin/sh\n');
  expect(removeNodeBinLink(dir)).toBe(false);
});

test("points tsc back at the workspace's TypeScript when an aliased one took it, and touches nothing else", () => {
  dir = mkdtempSync(join(tmpdir(), 'runometer-bin-'));
  const bin = join(dir, '.bin');
  mkdirSync(bin);
  mkdirSync(join(dir, 'typescript/bin'), { recursive: true });
  writeFileSync(join(dir, 'typescript/bin/tsc'), '');
  symlinkSync('../typescript7/bin/tsc', join(bin, 'tsc'));
  symlinkSync('../typescript/bin/tsserver', join(bin, 'tsserver'));
  expect(restoreTypeScriptBinLinks(bin)).toEqual(['tsc']);
  expect([readlinkSync(join(bin, 'tsc')), readlinkSync(join(bin, 'tsserver'))]).toEqual([
    '../typescript/bin/tsc',
    '../typescript/bin/tsserver',
  ]);
  expect(restoreTypeScriptBinLinks(bin)).toEqual([]);

  rmSync(join(bin, 'tsc'));
  symlinkSync('../some-tool/bin/tsc', join(bin, 'tsc'));
  expect(restoreTypeScriptBinLinks(bin)).toEqual([]);
  expect(readlinkSync(join(bin, 'tsc'))).toBe('../some-tool/bin/tsc');
});

test('after npm install, npm scripts run on the Node that runs npm: no node_modules/.bin/node', () => {
  const link = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  expect(
    existsSync(link),
    `${link} makes npm scripts run on a Node from node_modules: \`npm install <package>\` relinks it, a plain \`npm install\` removes it`,
  ).toBe(false);
});

test("after npm install, tsc is the workspace's TypeScript (5.9), not the TypeScript 7 the guide's test compiles with", () => {
  const tsc = fileURLToPath(new URL('../node_modules/.bin/tsc', import.meta.url));
  expect(
    execFileSync(tsc, ['--version'], { encoding: 'utf8' }),
    `\`npm install <package>\` may link ${tsc} to TypeScript 7: a plain \`npm install\` links it back`,
  ).toMatch(/^Version 5\.9\./);
});
