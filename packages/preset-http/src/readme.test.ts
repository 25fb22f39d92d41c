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

test("the README's cardinality is the recorder's: routes × methods × status classes × (buckets + 2), at the defaults", async () => {
  const { catalogOf } = await import('@runometer/core');
  const { HttpPreset } = await import('./http-preset.js');
  const { DEFAULT_ROUTE_LIMIT, DURATION_BUCKETS, METHODS, STATUS_CLASSES } = await import('./http-recorder.js');
  const text = readme.replace(/\s+/g, ' ');
  const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+$)/g, ' ');
  const buckets = DURATION_BUCKETS.length + 1;
  const perSeries = buckets + 2;
  const most = (DEFAULT_ROUTE_LIMIT + 2) * METHODS.length * STATUS_CLASSES.length * perSeries;
  expect(text).toContain(`(${perSeries} with the default ${DURATION_BUCKETS.length} bounds)`);
  expect(text).toContain(
    `(${DEFAULT_ROUTE_LIMIT} routes + \`other\` + \`unmatched\`) × ${METHODS.length} methods × ${STATUS_CLASSES.length} classes × ${perSeries} = ${thousands(most)} series`,
  );
  const entries = catalogOf(HttpPreset);
  const otherSeriesFields = entries.filter((entry) => entry.series !== undefined && entry.kind !== 'histogram').length;
  const ownFields = entries.filter((entry) => entry.series === undefined).length;
  expect(text).toContain(`beside the ${['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven'][otherSeriesFields]} other fields`);
  expect(text).toContain(
    `serves 50 × ${perSeries} = ${thousands(50 * perSeries)}, and the whole preset 50 × ${perSeries + otherSeriesFields} + ${ownFields} = ${thousands(50 * (perSeries + otherSeriesFields) + ownFields)}`,
  );
  expect(text).toContain(`its point's line and ${buckets} bucket lines`);
});
