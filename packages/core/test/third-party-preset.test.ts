import { presetRegistry } from '@runometer/core';
import { renderPreset } from '@runometer/core/testing';
import { expect, test } from 'vitest';
import { QueueClient } from './fixtures/acme-queue-preset.js';

const queues = [
  { name: 'mail', depth: 12, consumers: 2 },
  { name: 'sms, urgent', depth: 0, consumers: 1 },
];

test('a preset written with the public API alone registers, injects and renders like a built-in one', async () => {
  expect(presetRegistry.names()).toContain('acme-queues');
  const rendering = await renderPreset('acme-queues', {
    inject: [[QueueClient, new QueueClient(queues)]],
    tags: { host: 'h1' },
    measurement: 'app',
    renders: 2,
  });
  const body = [
    'app,broker=acme,host=h1 queue_count=2i,queue_depth_total=12i',
    'app,broker=acme,host=h1,queue=mail depth=12i,consumers=2i',
    'app,broker=acme,host=h1,queue=sms\\,\\ urgent depth=0i,consumers=1i',
    '',
  ].join('\n');
  expect(rendering.bodies).toEqual([body, body]);
  expect(rendering.errors).toEqual([]);
});
