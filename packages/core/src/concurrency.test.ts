import { expect, test } from 'vitest';
import { Runometer } from './runometer.js';

test('100 concurrent renders each get their own context', async () => {
  let next = 0;
  const contexts = new Set<object>();
  const meter = new Runometer('m')
    .addContextBuilder(async (ctx) => {
      contexts.add(ctx);
      const id = next++;
      // Interleave the renders: later ones finish their builder first.
      await new Promise((resolve) => setTimeout(resolve, (100 - id) % 7));
      return { id };
    })
    .addContextBuilder(async (ctx) => {
      await new Promise((resolve) => setTimeout(resolve, ctx.id % 3));
      return { square: ctx.id * ctx.id };
    })
    .addTag('render', (ctx) => String(ctx.id))
    .addField('id', (ctx) => ctx.id, { type: 'integer' })
    .addField('square', async (ctx) => ctx.square, { type: 'integer' });

  const bodies = await Promise.all(Array.from({ length: 100 }, () => meter.render()));

  expect(contexts.size).toBe(100);
  expect(bodies.sort()).toEqual(Array.from({ length: 100 }, (_, id) => `m,render=${id} id=${id}i,square=${id * id}i\n`).sort());
});
