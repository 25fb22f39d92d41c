import { readFileSync, readdirSync } from 'node:fs';
import { expect, test } from 'vitest';

// Each hook's block in the README is a file of test/readme/, which `npm test` type-checks with the
// rest of the workspace: the README must show it as it is.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const examples = new URL('../test/readme/', import.meta.url);

test.each(readdirSync(examples))('the README shows test/readme/%s as it is', (file) => {
  expect(readme).toContain(`\`\`\`ts\n${readFileSync(new URL(file, examples), 'utf8')}\`\`\``);
});

test('the README has a block for each hook', () => {
  expect(readdirSync(examples).sort()).toEqual(['express.ts', 'fastify.ts', 'hono.ts', 'node-http.ts']);
});

test("the README gives prom-client's default buckets' worst quantile error as computed from prom-client's own defaults", async () => {
  const { worstQuantileError } = await import('@runometer/core/format');
  const { Histogram } = await import('prom-client');
  const defaults = new Histogram({ name: 'defaults', help: 'Defaults.', registers: [] }) as unknown as { upperBounds: number[] };
  const error = `${Math.round(worstQuantileError(defaults.upperBounds) * 100)}%`;
  expect(readme).toContain(`<!-- prom-client-error -->${error}<!-- /prom-client-error -->`);
});
