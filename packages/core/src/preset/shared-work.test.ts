import { describe, expect, test } from 'vitest';
import { SharedWork } from './shared-work.js';

function counted() {
  const calls: string[] = [];
  const work = new SharedWork(
    () => calls.push('start'),
    () => void calls.push('stop'),
  );
  return { work, calls };
}

describe('SharedWork', () => {
  test('starts with the first lease and stops with the last', () => {
    const { work, calls } = counted();
    const first = work.acquire();
    const second = work.acquire();
    expect(calls).toEqual(['start']);
    first.release();
    expect(calls).toEqual(['start']);
    expect(work.running).toBe(true);
    second.release();
    expect(calls).toEqual(['start', 'stop']);
    expect(work.running).toBe(false);
  });

  test('a lease released twice counts once, so it never stops the work under another user', () => {
    const { work, calls } = counted();
    const first = work.acquire();
    const second = work.acquire();
    first.release();
    first.release();
    expect(calls).toEqual(['start']);
    expect(first.released).toBe(true);
    expect(second.released).toBe(false);
    second.release();
    second.release();
    expect(calls).toEqual(['start', 'stop']);
    work.acquire();
    expect(calls).toEqual(['start', 'stop', 'start']);
  });

  test('a start that throws holds nothing, and the next acquire starts again', () => {
    let attempts = 0;
    const work = new SharedWork(
      () => {
        if (++attempts === 1) throw new Error('no timer');
      },
      () => {},
    );
    expect(() => work.acquire()).toThrow('no timer');
    expect(work.running).toBe(false);
    work.acquire();
    expect(attempts).toBe(2);
    expect(work.running).toBe(true);
  });

  test('is disposable with `using` and `await using`', async () => {
    const { work, calls } = counted();
    {
      using lease = work.acquire();
      expect(lease.released).toBe(false);
    }
    expect(calls).toEqual(['start', 'stop']);
    let stopped = false;
    const slow = new SharedWork(
      () => {},
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        stopped = true;
      },
    );
    {
      await using _lease = slow.acquire();
    }
    expect(stopped).toBe(true);
  });
});
