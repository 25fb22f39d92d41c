import { expect, test } from 'vitest';
import { detectRuntime } from './runtime-info.js';

test.each([
  [
    { process: { versions: { node: '26.3.0', bun: '1.4.5' } }, Bun: {} },
    { name: 'bun', version: '1.4.5' },
  ],
  [
    { process: { versions: { node: '26.3.0' } }, Deno: { version: { deno: '2.9.6' } } },
    { name: 'deno', version: '2.9.6' },
  ],
  [{ process: { versions: { node: '20.20.2' } } }, { name: 'node', version: '20.20.2' }],
  [{}, { name: 'unknown', version: '' }],
])('%j is %j', (globals, runtime) => {
  expect(detectRuntime(globals)).toEqual(runtime);
});

test('this process is Node', () => {
  expect(detectRuntime()).toEqual({ name: 'node', version: process.versions.node });
});
