import { expect, test } from 'vitest';
import { denoJson } from './packages.js';

/** @param {Partial<import('./packages.js').Manifest>} manifest */
const workspacePackage = (manifest) => ({
  directory: 'packages/server-hono',
  manifest: {
    name: '@runometer/server-hono',
    version: '0.2.0',
    exports: { '.': { '@runometer/source': './src/index.ts', default: './dist/index.js' } },
    ...manifest,
  },
});

test('deno.json: name, version and source entry points; npm: specifiers, with subpaths where the sources import them; workspace packages and @types left to the workspace', () => {
  const pkg = workspacePackage({
    dependencies: { '@hono/node-server': '^2.1.9' },
    peerDependencies: { '@runometer/core': '0.x', '@types/node': '>=20', hono: '^4' },
  });
  expect(denoJson(pkg, "import { Hono } from 'hono';\nimport { basicAuth } from 'hono/basic-auth';\n")).toEqual({
    name: '@runometer/server-hono',
    version: '0.2.0',
    exports: { '.': './src/index.ts' },
    imports: { hono: 'npm:hono@^4', 'hono/': 'npm:/hono@^4/', '@hono/node-server': 'npm:@hono/node-server@^2.1.9' },
    publish: { include: ['src', 'README.md', 'LICENSE'], exclude: ['src/**/*.test.ts'] },
  });
});

test('deno.json: no imports when every dependency is in the workspace', () => {
  expect(
    denoJson(workspacePackage({ peerDependencies: { '@runometer/core': '0.x' } }), "import { Runometer } from '@runometer/core';"),
  ).not.toHaveProperty('imports');
});

test('deno.json: an entry point without sources is named in the error', () => {
  const pkg = workspacePackage({ exports: { './extra': { default: './dist/extra.js' } } });
  expect(() => denoJson(pkg, '')).toThrow(
    'packages/server-hono/package.json: exports["./extra"] has no "@runometer/source" condition for JSR to publish',
  );
});
