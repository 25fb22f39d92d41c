import * as core from '@runometer/core';
import { RegistrationError, Runometer, container } from '@runometer/core';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

// The mistakes a preset author makes, each refused with what was wrong and what to do, under
// both decorator forms. Vitest compiles this file with the repository's legacy decorators, so
// each class below is compiled by TypeScript itself, with or without experimentalDecorators, and
// run against this core: `define(form, body, given)` returns what `body` returns, `given` in scope.

type Form = 'legacy' | 'standard';

function define(form: Form, body: string, given: Record<string, unknown> = {}): unknown {
  const { outputText } = ts.transpileModule(`export default (core: any, given: any) => {\n${body}\n};`, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      ...(form === 'legacy' ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
    },
  });
  const exports: { default?: (api: typeof core, given: Record<string, unknown>) => unknown } = {};
  new Function('exports', 'require', outputText)(exports, () => {
    throw new Error('the snippet imports nothing: it is given core');
  });
  return exports.default!(core, given);
}

const FORMS = ['legacy', 'standard'] as const;
let unique = 0;
/** A preset name no other test has registered. */
const fresh = (prefix: string) => `${prefix}-${++unique}`;

describe('a preset compiled as standard decorators', () => {
  test('is registered, injected by @preset inject and rendered, with the members of the class it extends', async () => {
    const name = fresh('standard');
    const Preset = define(
      'standard',
      `const { preset, field, tag, contextBuilder } = core;
       class Base {
         @tag('unit') unit() { return this.unitName; }
       }
       @preset('${name}', { inject: ['unit-name', 'reading'] })
       class Standard extends Base {
         constructor(unitName, reading) { super(); this.unitName = unitName; this.reading = reading; }
         @contextBuilder() read() { return { value: this.reading.value }; }
         @field('value', { type: 'integer' }) value(ctx) { return ctx.value; }
       }
       return Standard;`,
    ) as core.PresetClass;
    const scoped = container.createChildContainer();
    scoped.register('unit-name', { useValue: 'bytes' });
    scoped.register('reading', { useValue: { value: 7 } });
    expect(core.presetRegistry.get(name)).toBe(Preset);
    expect(await new Runometer('m', { container: scoped }).use(name).render()).toBe('m,unit=bytes value=7i\n');
    expect(core.catalogOf(Preset).map((entry) => entry.key)).toEqual(['value']);
  });

  test("whose subclass declares no constructor is built with the base class's tokens", async () => {
    const name = fresh('standard-sub');
    const Sub = define(
      'standard',
      `const { preset, field } = core;
       @preset('${name}-base', { inject: ['reading'] })
       class Base {
         constructor(reading) { this.reading = reading; }
         @field('value') value() { return this.reading.value; }
       }
       @preset('${name}')
       class Sub extends Base {
         @field('double') double() { return this.reading.value * 2; }
       }
       return Sub;`,
    ) as core.PresetClass;
    const scoped = container.createChildContainer();
    scoped.register('reading', { useValue: { value: 1.5 } });
    expect(await new Runometer('m', { container: scoped }).use(Sub).render()).toBe('m value=1.5,double=3\n');
  });
});

test.each([
  ['legacy', 'standard'],
  ['standard', 'legacy'],
] as const)('a class compiled as %s decorators extends a preset compiled as %s ones', async (form, baseForm) => {
  const name = fresh('mixed');
  const Base = define(
    baseForm,
    `@core.preset('${name}-base', { inject: ['reading'] })
     class Base {
       constructor(reading) { this.reading = reading; }
       @core.field('value') value() { return this.reading.value; }
     }
     return Base;`,
  );
  const Sub = define(
    form,
    `@core.preset('${name}')
     class Sub extends given.Base {
       @core.tag('form') form() { return '${form}'; }
     }
     return Sub;`,
    { Base },
  ) as core.PresetClass;
  const scoped = container.createChildContainer();
  scoped.register('reading', { useValue: { value: 2 } });
  expect(await new Runometer('m', { container: scoped }).use(Sub).render()).toBe(`m,form=${form} value=2\n`);
});

describe('a constructor parameter without a token', () => {
  test('under standard decorators, without inject, is refused when the class is defined', () => {
    expect(() =>
      define(
        'standard',
        `@core.preset('no-inject')
         class NoInject {
           constructor(probe, clock) { this.probe = probe; }
           @core.field('x') x() { return 1; }
         }`,
      ),
    ).toThrow(
      new RegistrationError(
        'preset "no-inject" (class NoInject): the constructor takes 2 parameters and parameters 1, 2 (counting from 1) have no token: list one per parameter, in order, in @preset(name, { inject: [Token, …] })',
      ),
    );
  });

  test.each([
    ['an interface', '{ limit: number }', 'Object (an interface, a type alias or a union)'],
    ['a primitive', 'number', 'Number'],
  ])('typed as %s (the type emitDecoratorMetadata records), is refused when the class is defined', (_, type, recorded) => {
    expect(() =>
      define(
        'legacy',
        `class Probe {}
         @core.preset('typed-parameter')
         class Typed {
           constructor(probe: Probe, options: ${type}) {}
           @core.field('x') x() { return 1; }
         }`,
      ),
    ).toThrow(
      new RegistrationError(
        `preset "typed-parameter" (class Typed): constructor parameter 2's type is recorded as ${recorded}, which the container cannot build: give it a token, with @inject(Token) on the parameter or in @preset's inject, and register a value for that token`,
      ),
    );
  });
});

describe("@preset's inject", () => {
  test.each(FORMS)('whose length differs from the constructor parameters is refused (%s)', (form) => {
    expect(() =>
      define(
        form,
        `@core.preset('short-inject', { inject: ['a'] })
         class Short {
           constructor(a, b) {}
           @core.field('x') x() { return 1; }
         }`,
      ),
    ).toThrow(
      new RegistrationError(
        'preset "short-inject" (class Short): inject lists 1 token but the constructor takes 2 parameters: list one token per parameter, in order (a parameter with a default value comes after them and takes none)',
      ),
    );
  });

  test('that is not an array of tokens is refused, naming the entry', () => {
    const inject = (value: unknown) => () => core.preset('bad-inject', { inject: value as never });
    expect(inject('Probe')).toThrow(
      new RegistrationError('preset "bad-inject": inject must be an array of tokens, one per constructor parameter, got string "Probe"'),
    );
    expect(inject(['a', undefined])).toThrow(
      new RegistrationError(
        'preset "bad-inject": inject[1] is undefined, not a token (a class, a string or a symbol): an import cycle can leave a class undefined when the decorator runs',
      ),
    );
    expect(inject([{}])).toThrow(
      new RegistrationError('preset "bad-inject": inject[0] is an object, not a token (a class, a string or a symbol)'),
    );
  });
});

describe('a decorator put where neither form explains it', () => {
  const members = {
    getter: ['get rss() { return 1; }', 'getter rss'],
    setter: ['set rss(value) {}', 'setter rss'],
    property: ['rss = () => 1;', 'property rss'],
    'static method': ['static rss() { return 1; }', 'static method rss'],
  } as const;

  test.each(FORMS.flatMap((form) => Object.entries(members).map(([what, [member, named]]) => [form, what, member, named] as const)))(
    '%s: a member decorator on a %s',
    (form, _, member, named) => {
      expect(() => define(form, `class Misplaced { @core.field('rss') ${member} }`)).toThrow(
        new RegistrationError(`@field("rss") decorates a public instance method, not the ${named}`),
      );
    },
  );

  test('standard: a member decorator on a private method or an auto-accessor', () => {
    expect(() => define('standard', `class Misplaced { @core.tag('host') #host() { return 'h'; } }`)).toThrow(
      new RegistrationError('@tag("host") decorates a public instance method, not the private method #host'),
    );
    expect(() => define('standard', `class Misplaced { @core.contextBuilder() accessor state = 1; }`)).toThrow(
      new RegistrationError('@contextBuilder() decorates a public instance method, not the accessor state'),
    );
  });

  test.each(FORMS)('%s: a member decorator on a class, and @preset on a method', (form) => {
    expect(() => define(form, `@core.series('rows', { fields: {} }) class Rows {}`)).toThrow(
      new RegistrationError('@series("rows") decorates a public instance method, not the class Rows'),
    );
    expect(() => define(form, `class Holder { @core.preset('on-method') build() {} }`)).toThrow(
      new RegistrationError('@preset("on-method") decorates a class, not the method build'),
    );
  });

  test.each(FORMS)('%s: a member decorator written without its call', (form) => {
    const given = { legacy: 'an object', standard: 'function' }[form];
    expect(() => define(form, `class Uncalled { @core.field rss() { return 1; } }`)).toThrow(
      new RegistrationError(`@field(key) takes the key as a string, got ${given}: write @field("name") above the method`),
    );
    expect(() => define(form, `class Uncalled { @core.contextBuilder read() { return {}; } }`)).toThrow(
      new RegistrationError('@contextBuilder() takes no argument: write @contextBuilder() above the method'),
    );
  });
});
