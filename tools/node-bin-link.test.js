import { existsSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';
import { removeNodeBinLink } from './node-bin-link.js';

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

test('after npm install, npm scripts run on the Node that runs npm: no node_modules/.bin/node', () => {
  const link = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
  expect(existsSync(link), `${link} makes npm scripts run on a Node from node_modules: \`npm install <package>\` relinks it, a plain \`npm install\` removes it`).toBe(false);
});
