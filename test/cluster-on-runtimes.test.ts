import { describe, expect, test } from 'vitest';
import type { AggregatedOutput } from './cluster-on-runtime.js';
import { CHILD_RUNTIMES, runOn } from './runtimes.js';

// The Node running vitest runs the same through packages/cluster's own tests (forked workers and threads over dist/).
describe("@runometer/cluster on node_modules' Nodes, Bun and Deno: node:cluster workers and worker threads report to one source", () => {
  test.each(CHILD_RUNTIMES)(
    'on %s',
    async (runtime) => {
      const output = JSON.parse(await runOn(runtime, 'test/cluster-on-runtime.ts')) as AggregatedOutput;
      expect(output).toEqual({
        cluster: { workers: ['primary', '1', '2'], answered: '2', pidsDiffer: true },
        threads: { threads: ['main', '1'], answered: '1' },
      });
    },
    60_000,
  );
});
