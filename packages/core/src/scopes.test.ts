import { describe, expect, test } from 'vitest';
import { contextBuilder, field, preset } from './preset/decorators.js';
import { Runometer } from './runometer.js';

describe('each preset renders in a context of its own', () => {
  @preset('test-scope-a')
  class ScopeA {
    @contextBuilder()
    read() {
      return { usage: { rss: 1 } };
    }
    @field('a_rss', { type: 'integer' })
    rss(ctx: { usage: { rss: number } }) {
      return ctx.usage.rss;
    }
  }

  @preset('test-scope-b')
  class ScopeB {
    @contextBuilder()
    read() {
      return { usage: { cpu: 2 } };
    }
    @field('b_cpu', { type: 'integer' })
    cpu(ctx: { usage: { cpu: number } }) {
      return ctx.usage.cpu;
    }
  }

  @preset('test-scope-broken')
  class Broken {
    @contextBuilder()
    read(): { usage: number } {
      throw new Error('no reading');
    }
    @field('broken_value')
    value(ctx: { usage: number }) {
      return ctx.usage;
    }
  }

  test('two presets whose builders use the same key both read their own', async () => {
    const meter = new Runometer('m')
      .addContextBuilder(() => ({ usage: { mine: 3 } }))
      .use(ScopeA, ScopeB)
      .addField('mine', (ctx) => ctx.usage.mine, { type: 'integer' });
    expect(await meter.render()).toBe('m a_rss=1i,b_cpu=2i,mine=3i\n');
  });

  test("a preset's failed builder skips its own fields only", async () => {
    const faults: string[] = [];
    const meter = new Runometer('m', { onError: (e) => faults.push(e.message) }).use(Broken, ScopeA);
    expect(await meter.render()).toBe('m a_rss=1i\n');
    expect(faults).toEqual([
      'builder "test-scope-broken.read" threw: no reading',
      'field "broken_value" skipped: it reads context "usage", missing because builder "test-scope-broken.read" failed',
    ]);
  });
});
