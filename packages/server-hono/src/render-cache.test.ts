import { FORMATS, type Snapshot } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { renderCache } from './render-cache.js';

/** A collect whose renders are counted, each settled when the test says so. */
function controlledCollect() {
  const renders: { resolve: (snapshot: Snapshot) => void; reject: (error: unknown) => void }[] = [];
  const collect = () => new Promise<Snapshot>((resolve, reject) => renders.push({ resolve, reject }));
  const snapshot = (n: number): Snapshot => ({
    measurement: 'm',
    points: [{ tags: [], fields: [{ spec: { key: 'n', escapedKey: 'n', type: 'integer', kind: 'gauge' }, value: n }] }],
  });
  return { collect, renders, snapshot };
}

const influx = FORMATS.influx;
const json = FORMATS.json;

describe('renderCache', () => {
  test('the first scrape renders; scrapes while it is in flight share it; within the interval the body is returned synchronously', async () => {
    let clock = 0;
    const { collect, renders, snapshot } = controlledCollect();
    const bodyFor = renderCache(collect, { minRenderInterval: 1000, now: () => clock });
    const first = bodyFor(influx);
    const second = bodyFor(json);
    expect(first).toBeInstanceOf(Promise);
    expect(renders).toHaveLength(1);
    clock = 40;
    renders[0]!.resolve(snapshot(1));
    expect(await first).toEqual({ content: 'm n=1i\n', bytes: 7 });
    expect(await second).toEqual({ content: '{"measurement":"m","points":[{"tags":{},"fields":{"n":1}}]}', bytes: 59 });
    // The interval runs from the end of the render (40): 1039 is inside it, 1040 is not.
    clock = 1039;
    expect(bodyFor(influx)).toEqual({ content: 'm n=1i\n', bytes: 7 });
    expect(renders).toHaveLength(1);
    clock = 1040;
    const third = bodyFor(influx);
    expect(third).toBeInstanceOf(Promise);
    expect(renders).toHaveLength(2);
    renders[1]!.resolve(snapshot(2));
    expect(await third).toEqual({ content: 'm n=2i\n', bytes: 7 });
  });

  test("each format's text is made once per render, and its length counts UTF-8 bytes", async () => {
    let made = 0;
    const counting = { ...influx, render: (s: Snapshot | readonly Snapshot[]) => `${++made} é\n${(s as Snapshot).measurement}` };
    const { collect, renders, snapshot } = controlledCollect();
    const bodyFor = renderCache(collect, { minRenderInterval: 1000, now: () => 0 });
    const pending = [bodyFor(counting), bodyFor(counting)];
    renders[0]!.resolve(snapshot(1));
    expect(await Promise.all(pending)).toEqual([
      { content: '1 é\nm', bytes: 6 },
      { content: '1 é\nm', bytes: 6 },
    ]);
    expect(bodyFor(counting)).toEqual({ content: '1 é\nm', bytes: 6 });
    expect(made).toBe(1);
  });

  test('a failed render is not kept: the scrapes that shared it fail, the next one renders again', async () => {
    const { collect, renders, snapshot } = controlledCollect();
    const bodyFor = renderCache(collect, { minRenderInterval: 1000, now: () => 0 });
    const shared = [bodyFor(influx), bodyFor(json)];
    renders[0]!.reject(new Error('disk on fire'));
    for (const failed of shared) await expect(failed).rejects.toThrow('disk on fire');
    const retried = bodyFor(influx);
    expect(renders).toHaveLength(2);
    renders[1]!.resolve(snapshot(3));
    expect(await retried).toEqual({ content: 'm n=3i\n', bytes: 7 });
  });

  test('a format that fails on a kept render throws for that format only, and is tried again', async () => {
    let fail = true;
    const fragile = {
      ...json,
      render: () => {
        if (fail) throw new Error('cannot format');
        return 'ok';
      },
    };
    const { collect, renders, snapshot } = controlledCollect();
    const bodyFor = renderCache(collect, { minRenderInterval: 1000, now: () => 0 });
    const first = bodyFor(influx);
    renders[0]!.resolve(snapshot(1));
    await first;
    expect(() => bodyFor(fragile)).toThrow('cannot format');
    expect(bodyFor(influx)).toEqual({ content: 'm n=1i\n', bytes: 7 });
    fail = false;
    expect(bodyFor(fragile)).toEqual({ content: 'ok', bytes: 2 });
    expect(renders).toHaveLength(1);
  });

  test('a slow render holds the next one back until the interval has passed after it ended', async () => {
    let clock = 0;
    const { collect, renders, snapshot } = controlledCollect();
    const bodyFor = renderCache(collect, { minRenderInterval: 1000, now: () => clock });
    const first = bodyFor(influx);
    clock = 5000; // a render that took five intervals
    expect(bodyFor(influx)).toBeInstanceOf(Promise);
    expect(renders).toHaveLength(1);
    renders[0]!.resolve(snapshot(1));
    await first;
    clock = 5999;
    expect(bodyFor(influx)).toEqual({ content: 'm n=1i\n', bytes: 7 });
    expect(renders).toHaveLength(1);
  });

  test('0 renders for every scrape, sharing only the render of one turn of the event loop', async () => {
    const { collect, renders, snapshot } = controlledCollect();
    const bodyFor = renderCache(collect, { minRenderInterval: 0, now: () => 0 });
    const turn = [bodyFor(influx), bodyFor(influx)];
    // The render starts on the next turn, so that every scrape read in this one joins it.
    expect(renders).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(renders).toHaveLength(1);
    renders[0]!.resolve(snapshot(1));
    expect(await Promise.all(turn)).toEqual([
      { content: 'm n=1i\n', bytes: 7 },
      { content: 'm n=1i\n', bytes: 7 },
    ]);
    const next = bodyFor(influx);
    expect(next).toBeInstanceOf(Promise);
    await new Promise((resolve) => setImmediate(resolve));
    expect(renders).toHaveLength(2);
    renders[1]!.resolve(snapshot(2));
    expect(await next).toEqual({ content: 'm n=2i\n', bytes: 7 });
  });
});
