// Type tests: `npm test` runs tsc over this file, so each `@ts-expect-error` fails the build when
// the mistake under it compiles, and each `expectTypeOf` when the type drifts.
import { describe, expect, expectTypeOf, test } from 'vitest';
import { contextBuilder, decoratorsFor, field, preset, series, tag } from './preset/decorators.js';
import type { RenderScope } from './model/plan.js';
import { container } from './preset/di.js';
import { RegistrationError } from './model/errors.js';
import { Runometer } from './runometer.js';

interface MemoryContext {
  memory: { rss: number; heapUsed: number };
}

describe("a meter's context is the sum of what its builders return", () => {
  test('a meter without builders has an empty context: reading a key from it does not compile', () => {
    // @ts-expect-error: no builder gives `memroy` (nor anything else)
    new Runometer('m').addField('rss', (ctx) => ctx.memroy.rss);
  });

  test("each builder's return type is added to the context the later functions receive", async () => {
    const meter = new Runometer('m')
      .addContextBuilder(() => ({ memory: { rss: 5, heapUsed: 2 } }))
      .addContextBuilder(async (ctx) => {
        expectTypeOf(ctx.memory.rss).toEqualTypeOf<number>();
        return { doubled: ctx.memory.rss * 2 };
      })
      .addField('rss', (ctx) => ctx.memory.rss, { type: 'integer' })
      .addField('doubled', (ctx, render) => {
        expectTypeOf(ctx).toEqualTypeOf<object & { memory: { rss: number; heapUsed: number } } & { doubled: number }>();
        expectTypeOf(render).toEqualTypeOf<RenderScope>();
        return ctx.doubled;
      })
      // @ts-expect-error: a typo in a key the builders give
      .addField('heap', (ctx) => ctx.memory.heapUsd);
    expect(await meter.render()).toBe('m rss=5i,doubled=10\n');
  });

  test('a meter with builders is still a Runometer, for whatever takes one (a server)', () => {
    const meter = new Runometer('m').addContextBuilder(() => ({ memory: { rss: 1 } }));
    expectTypeOf(meter).toExtend<Runometer>();
  });

  test('a builder that returns nothing adds nothing: a context filled in place is declared on the meter', async () => {
    const meter = new Runometer<{ sockets: number[] }>('m')
      .addContextBuilder((ctx) => {
        ctx.sockets = [1, 2];
      })
      .addField('sockets', (ctx) => ctx.sockets.length, { type: 'integer' });
    expectTypeOf(meter).toEqualTypeOf<Runometer<{ sockets: number[] } & unknown>>();
    expect(await meter.render()).toBe('m sockets=2i\n');
  });
});

describe("a field's declared type constrains what its function may return", () => {
  const meter = (faulty: string[] = []) =>
    new Runometer('m', { onError: (error) => faulty.push(error.key) }).addContextBuilder(
      (): MemoryContext => ({ memory: { rss: 1, heapUsed: 1 } }),
    );

  test('float (the default) takes a number, integer a number or a bigint, string a string, boolean a boolean', async () => {
    const typed = meter()
      .addField('f', (ctx) => ctx.memory.rss / 2)
      .addField('i', () => 1, { type: 'integer' })
      .addField('big', () => 2n ** 62n, { type: 'integer' })
      .addField('s', () => 'up', { type: 'string' })
      .addField('b', () => true, { type: 'boolean' });
    expect(await typed.render()).toBe('m f=0.5,i=1i,big=4611686018427387904i,s="up",b=true\n');
  });

  test('undefined or null for no value, and a promise of any of these, are accepted', async () => {
    const typed = meter()
      .addField('absent', (ctx) => (ctx.memory.rss > 0 ? undefined : 1))
      .addField('null', () => null, { type: 'string' })
      .addField('later', async () => 3n, { type: 'integer' })
      .addField('later_absent', () => Promise.resolve(undefined), { type: 'boolean' });
    expect(await typed.render()).toBe('m later=3i\n');
  });

  test('a value of another type does not compile, and is left out of the render', async () => {
    const faulty: string[] = [];
    const typed = meter(faulty)
      // @ts-expect-error: an integer field cannot give a string
      .addField('i', () => '1', { type: 'integer' })
      // @ts-expect-error: a float field cannot give a bigint (only integers are written as …i)
      .addField('f', () => 1n)
      // @ts-expect-error: nor can a float field declared with other options
      .addField('c', () => 'x', { kind: 'counter', help: 'h' })
      // @ts-expect-error: a string field cannot give a number
      .addField('s', () => 1, { type: 'string' })
      // @ts-expect-error: a boolean field cannot give 0
      .addField('b', () => 0, { type: 'boolean' })
      // @ts-expect-error: a promise is checked too
      .addField('p', async () => 'x', { type: 'integer' })
      // @ts-expect-error: an object is no value at all
      .addField('o', () => ({ v: 1 }))
      .addField('ok', () => 1);
    expect(await typed.render()).toBe('m ok=1\n');
    expect(faulty).toEqual(['i', 'f', 'c', 's', 'b', 'p', 'o']);
  });

  test('a type outside the four does not compile, and is refused at registration', () => {
    // @ts-expect-error: 'int' is not a field type
    expect(() => meter().addField('i', () => 1, { type: 'int' })).toThrow('field "i" has type "int"');
  });

  test('a tag gives a string, number, bigint or boolean, or nothing', async () => {
    const faulty: string[] = [];
    const typed = meter(faulty)
      .addTag('host', () => 'h1')
      .addTag('shard', (ctx) => ctx.memory.rss)
      .addTag('none', async () => undefined)
      // @ts-expect-error: an object is not a tag value
      .addTag('bad', () => ({ name: 'x' }))
      .addField('ok', () => 1);
    expect(await typed.render()).toBe('m,host=h1,shard=1 ok=1\n');
    expect(faulty).toEqual(['bad']);
  });

  test("a series' rows carry values of their fields' types, under its tag keys", async () => {
    const typed = meter().addSeries('spaces', () => [{ tags: { space: 'old' }, fields: { size: 1, used: 0.5 } }], {
      tags: ['space'],
      fields: { size: { type: 'integer' }, used: {} },
    });
    expect(await typed.render()).toBe('m,space=old size=1i,used=0.5\n');
    meter().addSeries(
      'wrong_value',
      // @ts-expect-error: an integer field of a row cannot give a string
      () => [{ tags: { space: 'old' }, fields: { size: 'big' } }],
      { tags: ['space'], fields: { size: { type: 'integer' } } },
    );
    meter().addSeries(
      'wrong_tag',
      // @ts-expect-error: a row's tag must be one the series declares
      (): { tags: { spcae: string }; fields: { size: number } }[] => [{ tags: { spcae: 'old' }, fields: { size: 1 } }],
      { tags: ['space'], fields: { size: { type: 'integer' } } },
    );
  });

  test('a histogram, of a field or a series, gives a HistogramValue', async () => {
    const typed = meter()
      .addField('h', () => ({ counts: [1, 0], sum: 0.5 }), { kind: 'histogram', buckets: [1] })
      .addSeries('routes', () => [{ tags: { route: '/' }, fields: { d: { counts: new Float64Array(2), sum: 0 } } }], {
        tags: ['route'],
        fields: { d: { kind: 'histogram', buckets: [1] } },
      });
    expect(await typed.render()).toContain('m h_sum=0.5,h_count=1i\n');
    // @ts-expect-error: a histogram gives its counts and sum, not a number
    meter().addField('n', () => 1, { kind: 'histogram', buckets: [1] });
    meter().addSeries(
      'wrong_histogram',
      // @ts-expect-error: a histogram field of a row gives its counts and sum, not a number
      () => [{ fields: { d: 1 } }],
      { fields: { d: { kind: 'histogram', buckets: [1] } } },
    );
    const { field: typedField } = decoratorsFor<MemoryContext>();
    class Wrong {
      // @ts-expect-error: a histogram's method returns a HistogramValue
      @typedField('w', { kind: 'histogram', buckets: [1] })
      w() {
        return 1;
      }
    }
    expect(Wrong).toBeDefined();
  });
});

describe('decoratorsFor<Ctx>() links the builder of a preset to the fields that read its context', () => {
  const { contextBuilder: builds, field: reads, tag: tags, series: rows } = decoratorsFor<MemoryContext>();

  test('they are the untyped decorators themselves: only what the compiler checks differs', () => {
    expect([builds, reads, tags, rows]).toEqual([contextBuilder, field, tag, series]);
  });

  test('a preset whose builder returns the context and whose members read it compiles, and renders', async () => {
    @preset('typed-memory')
    class TypedMemoryPreset {
      @builds()
      read(): MemoryContext {
        return { memory: { rss: 7, heapUsed: 3 } };
      }

      @tags('heap_state')
      heapState(ctx: MemoryContext) {
        return ctx.memory.heapUsed > 0 ? 'used' : undefined;
      }

      @reads('rss_bytes', { type: 'integer', unit: 'bytes' })
      rss(ctx: MemoryContext) {
        return ctx.memory.rss;
      }

      @reads('heap_share', { unit: 'ratio' })
      async heapShare(ctx: MemoryContext, render: RenderScope) {
        return render.once(() => ctx.memory.heapUsed / ctx.memory.rss);
      }

      @reads('constant', { type: 'integer' })
      constant() {
        return 1n;
      }

      @rows('parts', { tags: ['part'], fields: { part_bytes: { type: 'integer' } } })
      parts(ctx: MemoryContext) {
        return [{ tags: { part: 'heap' }, fields: { part_bytes: ctx.memory.heapUsed } }];
      }
    }
    const meter = new Runometer('m').use(TypedMemoryPreset);
    expect(await meter.render()).toBe(
      `m,heap_state=used rss_bytes=7i,heap_share=${3 / 7},constant=1i\nm,heap_state=used,part=heap part_bytes=3i\n`,
    );
  });

  test('a builder that returns something else, or a member that reads another context, does not compile', () => {
    class Mistakes {
      // @ts-expect-error: the builder must return the whole MemoryContext
      @builds()
      read() {
        return { memroy: { rss: 1, heapUsed: 1 } };
      }

      // @ts-expect-error: the field reads a context no builder of the preset returns
      @reads('rss_bytes', { type: 'integer' })
      rss(ctx: { usage: { rss: number } }) {
        return ctx.usage.rss;
      }

      // @ts-expect-error: nor one that asks for more than the builder gives
      @reads('extra')
      extra(ctx: MemoryContext & { extra: number }) {
        return ctx.extra;
      }

      // @ts-expect-error: an integer field's method cannot return a string
      @reads('rss_text', { type: 'integer' })
      rssText(ctx: MemoryContext) {
        return String(ctx.memory.rss);
      }

      // @ts-expect-error: a row's integer field cannot be a float's undefined-or-string
      @rows('parts', { fields: { part_bytes: { type: 'integer' } } })
      parts() {
        return [{ fields: { part_bytes: 'heap' } }];
      }

      // @ts-expect-error: an object is not a tag value
      @tags('heap')
      heap(ctx: MemoryContext) {
        return ctx.memory;
      }
    }
    expect(Mistakes).toBeTypeOf('function');
  });

  test('the untyped decorators leave the context unchecked, but still check what a field returns', () => {
    class Untyped {
      @field('rss_bytes', { type: 'integer' })
      rss(ctx: { anything: number }) {
        return ctx.anything;
      }

      // @ts-expect-error: an integer field's method cannot return a string
      @field('text', { type: 'integer' })
      text() {
        return 'x';
      }
    }
    expect(Untyped).toBeTypeOf('function');
  });
});

describe('the decorators compile as legacy and as standard decorators alike', () => {
  // `npm test` compiles this file with experimentalDecorators, and test/decorator-forms.test.ts without:
  // every `@ts-expect-error` here and above must meet its error under both. What compiles anyway
  // (JavaScript has no types) is refused when the class is defined.
  test('a member decorator on a getter or a property does not compile', () => {
    expect(() => {
      class OnGetter {
        // @ts-expect-error: a field is computed by a method, not a getter
        @field('rss')
        get rss() {
          return 1;
        }
      }
      return OnGetter;
    }).toThrow(new RegistrationError('@field("rss") decorates a public instance method, not the getter rss'));
    expect(() => {
      class OnProperty {
        // @ts-expect-error: nor by a property
        @field('heap')
        heap = () => 1;
      }
      return OnProperty;
    }).toThrow(new RegistrationError('@field("heap") decorates a public instance method, not the property heap'));
  });

  test("@preset's inject gives the constructor's parameters their types, in order", async () => {
    class Probe {
      rss() {
        return 1;
      }
    }
    class Clock {}
    const UNIT = Symbol('unit');
    @preset('typed-inject', { inject: [Probe, UNIT] })
    class Injected {
      constructor(
        readonly probe: Probe,
        readonly unit: { factor: number },
      ) {}
      @field('rss', { type: 'integer' })
      rss() {
        return this.probe.rss() * this.unit.factor;
      }
    }
    const scoped = container.createChildContainer();
    scoped.register(UNIT, { useValue: { factor: 1024 } });
    expect(await new Runometer('m', { container: scoped }).use(Injected).render()).toBe('m rss=1024i\n');
    expect(() => {
      // @ts-expect-error: a constructor that takes more parameters than inject lists tokens
      @preset('typed-inject-short', { inject: [Probe] })
      class TooFew {
        constructor(
          readonly probe: Probe,
          readonly clock: Clock,
        ) {}
        @field('rss')
        rss() {
          return this.probe.rss();
        }
      }
      return TooFew;
    }).toThrow(/^preset "typed-inject-short" \(class TooFew\): inject lists 1 token but the constructor takes 2 parameters/);
    const wrong = () => {
      // @ts-expect-error: a parameter whose type is not its token's
      @preset('typed-inject-wrong', { inject: [Clock] })
      class Wrong {
        constructor(readonly probe: Probe) {}
        @field('rss')
        rss() {
          return this.probe.rss();
        }
      }
      return Wrong;
    };
    // Only the compiler can tell: the class is a preset, whose field fails when rendered.
    const faults: string[] = [];
    expect(await new Runometer('m', { onError: (error) => faults.push(error.message) }).use(wrong()).render()).toBe('');
    expect(faults).toEqual(['field "rss" threw: this.probe.rss is not a function']);
  });
});
