import { describe, expect, test, vi } from 'vitest';
import { toJson } from './json.js';
import { Runometer } from './runometer.js';

describe('toJson', () => {
  test('writes integers beyond 2^53 as strings, and the timestamp when the meter stamps', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
    const meter = new Runometer('m', { timestamps: true }).addField('big', () => 2n ** 60n, { type: 'integer' }).addField('small', () => 5n, { type: 'integer' });
    const body = JSON.parse(toJson(await meter.collect()));
    vi.useRealTimers();
    expect(body).toEqual({ measurement: 'm', timestamp: '1700000000000000000', points: [{ tags: {}, fields: { big: '1152921504606846976', small: 5 } }] });
  });

  test('several snapshots give an array of their objects, in order', async () => {
  const app = new Runometer('app').addField('n', () => 1, { type: 'integer' });
  const db = new Runometer('db').addTag('role', 'primary').addField('n', () => 2.5);
  expect(JSON.parse(toJson([await app.collect(), await db.collect()]))).toEqual([
    { measurement: 'app', points: [{ tags: {}, fields: { n: 1 } }] },
    { measurement: 'db', points: [{ tags: { role: 'primary' }, fields: { n: 2.5 } }] },
  ]);
    expect(toJson([])).toBe('[]');
  });
});
