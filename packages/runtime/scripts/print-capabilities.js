// @ts-check
// Prints what this runtime offers, as JSON: `{ runtime: { name, version }, capabilities }`.
// Run by `npm run capabilities` on Node, Bun and Deno, and by test/capabilities-on-runtimes.test.ts.
import { detectCapabilities, detectRuntime } from '@runometer/runtime';

console.log(JSON.stringify({ runtime: detectRuntime(), capabilities: await detectCapabilities() }));
