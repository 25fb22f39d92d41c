import { Runometer, container, presetRegistry } from '@runometer/core';
import { expect, test } from 'vitest';
import { QueueClient } from './fixtures/acme-queue-preset.js';

test('a preset written with the public API alone registers, injects and renders like a built-in one', async () => {
  expect(presetRegistry.names()).toContain('acme-queues');
  const scoped = container.createChildContainer();
  scoped.register(QueueClient, {
    useValue: new QueueClient([
      { name: 'mail', depth: 12, consumers: 2 },
      { name: 'sms, urgent', depth: 0, consumers: 1 },
    ]),
  });
  const meter = new Runometer('app', { container: scoped }).addTag('host', 'h1').use('acme-queues');
  expect(meter.presetNames).toEqual(['acme-queues']);
  expect(await meter.render()).toBe(
    [
      'app,broker=acme,host=h1 queue_count=2i,queue_depth_total=12i',
      'app,broker=acme,host=h1,queue=mail depth=12i,consumers=2i',
      'app,broker=acme,host=h1,queue=sms\\,\\ urgent depth=0i,consumers=1i',
      '',
    ].join('\n'),
  );
});
