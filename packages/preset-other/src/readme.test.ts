import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { worstQuantileError } from '@runometer/core/format';
import { Registry, type Histogram } from 'prom-client';
import { expect, test } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

test("the README gives prom-client's GC histogram's worst quantile error as computed from prom-client's own layout", () => {
  // prom-client keeps its GC layout inside the metric's module: make the metric on a registry of the test's own.
  const registry = new Registry();
  createRequire(import.meta.url)('prom-client/lib/metrics/gc.js')(registry);
  const { upperBounds } = registry.getSingleMetric('nodejs_gc_duration_seconds') as Histogram & { upperBounds: number[] };
  expect(readme).toContain(`prom-client's \`${upperBounds.join(', ')}\``);
  const error = `${Math.round(worstQuantileError(upperBounds) * 100)}%`;
  expect(readme).toContain(`<!-- prom-client-gc-error -->${error}<!-- /prom-client-gc-error -->`);
});

test("the README's series count of gc_duration_seconds is the layout's: kinds × (buckets + 2)", async () => {
  const { GC_DURATION_BUCKETS, GC_KINDS } = await import('./gc-counter.js');
  expect(readme.replace(/\s+/g, ' ')).toContain(`${GC_KINDS.length} kinds × ${GC_DURATION_BUCKETS.length + 3} series in Prometheus`);
});
