import { describe, expect, test } from 'vitest';
import { PushHealth, type PushStats } from './push-health.js';

function pusherStats(initial: PushStats) {
  let current = initial;
  return { of: () => current, set: (next: PushStats) => (current = next) };
}

const idle: PushStats = { sent: 0, dropped: 0, refused: 0, retries: 0, buffered: 0 };

describe('PushHealth', () => {
  test('adds up the counters and buffers of the pushers it tracks', () => {
    const health = new PushHealth();
    health.track(() => ({ sent: 5, dropped: 1, refused: 2, retries: 3, buffered: 4 }));
    health.track(() => ({ sent: 10, dropped: 0, refused: 0, retries: 1, buffered: 6 }));
    expect((['sent', 'dropped', 'refused', 'retries', 'buffered'] as const).map((counter) => health.total(counter))).toEqual([
      15, 1, 2, 4, 10,
    ]);
    expect(health.lastError).toBeUndefined();
  });

  test('lastError: the latest failure among pushers whose last request failed', () => {
    const health = new PushHealth();
    const [a, b] = [pusherStats(idle), pusherStats(idle)];
    health.track(a.of);
    health.track(b.of);
    a.set({ ...idle, lastError: 'a failed' });
    health.failed(a.of);
    b.set({ ...idle, lastError: 'b failed' });
    health.failed(b.of);
    expect(health.lastError).toBe('b failed');
    b.set(idle);
    expect(health.lastError).toBe('a failed');
    a.set(idle);
    expect(health.lastError).toBeUndefined();
  });

  test('a retired pusher keeps its counters in the sums, not its buffer or error', () => {
    const health = new PushHealth();
    const closed = pusherStats({ sent: 7, dropped: 2, refused: 1, retries: 4, buffered: 0, lastError: 'gone' });
    health.track(closed.of);
    health.failed(closed.of);
    health.track(() => ({ ...idle, sent: 1, buffered: 3 }));
    health.retire(closed.of);
    closed.set({ ...idle, sent: 1000 });
    expect((['sent', 'dropped', 'refused', 'retries', 'buffered'] as const).map((counter) => health.total(counter))).toEqual([
      8, 2, 1, 4, 3,
    ]);
    expect(health.lastError).toBeUndefined();
    health.retire(closed.of);
    expect(health.total('sent')).toBe(8);
  });
});
