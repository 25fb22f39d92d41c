// The example of the README's "Testing a preset", run: the test at the end holds the README to
// the code between the markers (with the fixture's path as a preset package would write it).
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
// README example: start
import { toOpenMetrics, toPrometheus } from '@runometer/core';
import { assertFaultIsolated, assertStableFieldTypes, assertValidOpenMetrics, assertValidPrometheus, renderPreset } from '@runometer/core/testing';
import { AcmeQueuePreset, QueueClient } from './fixtures/acme-queue-preset.js';

const client = new QueueClient([{ name: 'mail', depth: 12, consumers: 2 }]);

test('acme-queues renders valid line protocol, Prometheus and OpenMetrics, with stable types', async () => {
  const { snapshots, bodies, errors } = await renderPreset(AcmeQueuePreset, { inject: [[QueueClient, client]], tags: { host: 'h1' }, renders: 2 });
  expect(errors).toEqual([]);
  expect(bodies[0]).toBe('test,broker=acme,host=h1 queue_count=1i,queue_depth_total=12i\ntest,broker=acme,host=h1,queue=mail depth=12i,consumers=2i\n');
  assertStableFieldTypes(bodies);
  assertValidPrometheus(toPrometheus(snapshots));
  assertValidOpenMetrics(toOpenMetrics(snapshots));
});

test('a broker that cannot be reached takes out only what reads it, and is reported', async () => {
  const unreachable = new QueueClient();
  unreachable.stats = () => Promise.reject(new Error('broker unreachable'));
  const healthy = await renderPreset(AcmeQueuePreset, { inject: [[QueueClient, client]] });
  const faulty = await renderPreset(AcmeQueuePreset, { inject: [[QueueClient, unreachable]] });
  assertFaultIsolated(faulty, healthy, 'acme-queues.queues');
});
// README example: end

test("the README's example is the code above", () => {
  const source = readFileSync(new URL(import.meta.url), 'utf8');
  const example = /\/\/ README example: start\n([\s\S]*?)\/\/ README example: end\n/.exec(source)![1]!.replace("'./fixtures/acme-queue-preset.js'", "'./acme-queue-preset.js'");
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Testing a preset'));
  expect(/```ts\n([\s\S]*?)```\n/.exec(section)?.[1]).toBe(example);
});
