import { Runometer, catalogOf, container } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { PushHealth } from './push-health.js';
import { PushPreset } from './push-preset.js';

describe('PushPreset', () => {
  test('declares the health fields agreed for issue 11, in this order', () => {
    expect(catalogOf(PushPreset).map(({ preset, key, type, kind, unit }) => [preset, key, type, kind, unit])).toEqual([
      ['push', 'push_points_sent_total', 'integer', 'counter', 'count'],
      ['push', 'push_points_dropped_total', 'integer', 'counter', 'count'],
      ['push', 'push_points_refused_total', 'integer', 'counter', 'count'],
      ['push', 'push_retries_total', 'integer', 'counter', 'count'],
      ['push', 'push_buffered_points', 'integer', 'gauge', 'count'],
      ['push', 'push_last_error', 'string', 'gauge', 'none'],
    ]);
  });

  test("renders its container's PushHealth, and leaves push_last_error out when there is none", async () => {
    const child = container.createChildContainer();
    child.registerSingleton(PushHealth);
    child.resolve(PushHealth).track(() => ({ sent: 3, dropped: 1, refused: 0, retries: 2, buffered: 5 }));
    const meter = new Runometer('app', { container: child }).use('push');
    expect(await meter.render()).toBe(
      'app push_points_sent_total=3i,push_points_dropped_total=1i,push_points_refused_total=0i,push_retries_total=2i,push_buffered_points=5i\n',
    );
  });
});
