import { describe, expect, test } from 'vitest';
import { contextBuilder, field, preset } from '../preset/decorators.js';
import { Runometer } from '../runometer.js';
import type { RenderScope } from '../model/plan.js';

let reads = 0;
function readSource(): number {
  return ++reads;
}

@preset('render-scope-first')
class FirstReader {
  @contextBuilder()
  read(_ctx: object, render: RenderScope) {
    return { value: render.once(readSource) };
  }
  @field('first', { type: 'integer' })
  first(ctx: { value: number }) {
    return ctx.value;
  }
}

@preset('render-scope-second')
class SecondReader {
  @contextBuilder()
  read(_ctx: object, render: RenderScope) {
    return { value: render.once(readSource) };
  }
  @field('second', { type: 'integer' })
  second(ctx: { value: number }) {
    return ctx.value;
  }
}

describe('RenderScope.once', () => {
  test('reads once per render for every preset that asks, and anew at the next render', async () => {
    reads = 0;
    const meter = new Runometer('scoped').use(FirstReader, SecondReader);
    expect(await meter.render()).toBe('scoped first=1i,second=1i\n');
    expect(await meter.render()).toBe('scoped first=2i,second=2i\n');
    expect(reads).toBe(2);
  });

  test('gives a throw to every caller, each reported as its own builder’s fault', async () => {
    const faults: string[] = [];
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error('source gone');
    };
    const meter = new Runometer('scoped', { onError: (error) => faults.push(error.message) })
      .addContextBuilder((_ctx, render) => ({ a: render.once(failing) }), 'a')
      .addContextBuilder((_ctx, render) => ({ b: render.once(failing) }), 'b')
      .addField('fine', () => 1);
    expect(await meter.render()).toBe('scoped fine=1\n');
    expect(calls).toBe(1);
    expect(faults).toEqual(['builder "a" threw: source gone', 'builder "b" threw: source gone']);
  });
});
