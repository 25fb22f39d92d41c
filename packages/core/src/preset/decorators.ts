import { injectable, type InjectionToken } from './di.js';
import { Definitions, type FieldOptions, type SeriesOptions, type SeriesResult, type TagResult } from '../model/definitions.js';
import { RegistrationError, describe } from '../model/errors.js';
import type { FieldKind, FieldResult, FieldType } from '../model/field-types.js';
import { checkConstructorTokens, checkedInject, type InjectedParameters } from './injection.js';
import { addOwnMember, ownMetadataOf, presetMembers, setPresetName, type ClassMetadata, type PresetMember } from './preset-metadata.js';
import { presetRegistry, type PresetClass } from './registry.js';
import type { RenderScope } from '../model/plan.js';

export { presetMembers, presetName, type PresetMember } from './preset-metadata.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A standard (TC39) decorator's second argument; a legacy one's is the member's key, or nothing for a class. */
function isDecoratorContext(value: unknown): value is DecoratorContext {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';
}

/** What a decorator was put on, from either form's arguments, in the words of TypeScript's classes. */
function decorated(target: unknown, key: unknown, descriptor: unknown): string {
  if (isDecoratorContext(key)) {
    const context = key as DecoratorContext & { static?: boolean; private?: boolean };
    const kind = context.kind === 'field' ? 'property' : context.kind;
    return `${context.static ? 'static ' : ''}${context.private ? 'private ' : ''}${kind} ${String(context.name)}`;
  }
  if (typeof key === 'string' || typeof key === 'symbol') {
    const place = typeof target === 'function' ? 'static ' : '';
    const found = descriptor as PropertyDescriptor | undefined;
    if (found === undefined) return `${place}property ${String(key)}`;
    if (found.get !== undefined) return `${place}getter ${String(key)}`;
    if (found.set !== undefined) return `${place}setter ${String(key)}`;
    return `${place}method ${String(key)}`;
  }
  if (key === undefined && typeof target === 'function') return `class ${target.name}`;
  return describe(target);
}

/** The class's metadata a standard decorator is given: always there, since core installs `Symbol.metadata`. */
function standardMetadata(label: string, context: DecoratorContext): ClassMetadata {
  const { metadata } = context as { metadata?: ClassMetadata };
  if (metadata === undefined) {
    throw new RegistrationError(
      `${label}: this runtime gives standard decorators no context.metadata, and Symbol.metadata could not be installed`,
    );
  }
  return metadata;
}

function member(label: string, declaration: DistributiveOmit<PresetMember, 'method'>) {
  return (target: unknown, key: unknown, descriptor?: unknown): void => {
    const context = isDecoratorContext(key) ? (key as DecoratorContext & { static?: boolean; private?: boolean }) : undefined;
    const standardMethod = context?.kind === 'method' && !context.static && !context.private;
    const legacyMethod =
      (typeof key === 'string' || typeof key === 'symbol') &&
      typeof target === 'object' &&
      target !== null &&
      typeof (descriptor as PropertyDescriptor | undefined)?.value === 'function';
    if (!standardMethod && !legacyMethod) {
      throw new RegistrationError(`${label} decorates a public instance method, not the ${decorated(target, key, descriptor)}`);
    }
    const metadata = context !== undefined ? standardMetadata(label, context) : ownMetadataOf((target as object).constructor);
    const method = context !== undefined ? (context.name as string | symbol) : (key as string | symbol);
    addOwnMember(metadata, { ...declaration, method } as PresetMember);
  };
}

/**
 * A method decorator that accepts only a method of type `Method`, as a legacy decorator
 * (`experimentalDecorators`) and as a standard one: a field's method that reads another context,
 * or returns what its type cannot hold, does not compile under either.
 */
export interface MethodDecoratorOf<Method> {
  <M extends Method>(target: object, method: string | symbol, descriptor: TypedPropertyDescriptor<M>): void;
  <M extends Method>(value: M, context: ClassMethodDecoratorContext<any, M & ((this: any, ...args: any) => any)>): void;
}

/**
 * The decorators of a preset whose fields read the context `Ctx`: `@contextBuilder()` must return
 * it (or a promise of it), and every `@tag`, `@field` and `@series` method receives it.
 */
export interface PresetDecorators<Ctx> {
  /** The method returns the object of values that the render context shares with every field of the preset. */
  contextBuilder(): MethodDecoratorOf<(ctx: object, render: RenderScope) => Ctx | Promise<Ctx>>;
  /** The method computes the tag's value from the render context. */
  tag(key: string): MethodDecoratorOf<(ctx: Ctx, render: RenderScope) => TagResult>;
  /** The method computes the field's value, of its declared type, from the render context. */
  field<T extends FieldType = 'float', K extends FieldKind = 'gauge'>(
    key: string,
    options?: FieldOptions<T, K>,
  ): MethodDecoratorOf<(ctx: Ctx, render: RenderScope) => FieldResult<T, K>>;
  /** The method returns rows `{ tags, fields }`, each rendered as a line of its own under the meter's name and tags. */
  series<const Fields extends Readonly<Record<string, FieldOptions>>, const TagKey extends string = never>(
    name: string,
    options: SeriesOptions<Fields, TagKey>,
  ): MethodDecoratorOf<(ctx: Ctx, render: RenderScope) => SeriesResult<Fields, TagKey>>;
}

/** `@field` written without its call: the decorator factory receives the class's prototype (legacy) or the method (standard) instead of a key. */
function checkKey(decorator: string, what: string, key: unknown): string {
  if (typeof key !== 'string') {
    throw new RegistrationError(
      `@${decorator}(${what}) takes the ${what} as a string, got ${describe(key)}: write @${decorator}("name") above the method`,
    );
  }
  return key;
}

const decorators: PresetDecorators<any> = {
  contextBuilder: (...args: unknown[]) => {
    if (args.length > 0) throw new RegistrationError('@contextBuilder() takes no argument: write @contextBuilder() above the method');
    return member('@contextBuilder()', { kind: 'builder' });
  },
  tag: (key) => member(`@tag("${checkKey('tag', 'key', key)}")`, { kind: 'tag', key }),
  field: (key, options) =>
    member(`@field("${checkKey('field', 'key', key)}")`, options === undefined ? { kind: 'field', key } : { kind: 'field', key, options }),
  series: (name, options) => member(`@series("${checkKey('series', 'name', name)}")`, { kind: 'series', name, options }),
};

/**
 * The decorators, typed for a preset whose builder returns `Ctx`:
 * `const { contextBuilder, field } = decoratorsFor<MemoryContext>();`. The same functions as the
 * untyped ones below; only what the compiler checks differs.
 */
export function decoratorsFor<Ctx extends object>(): PresetDecorators<Ctx> {
  return decorators;
}

/** The decorators with a context the compiler does not check (`any`); a field's type still constrains what it returns. */
export const { contextBuilder, tag, field, series } = decorators;

/**
 * Adds a preset's members to `definitions`, as methods of `instance` (or placeholders when none
 * is given), in a render context of the preset's own.
 */
export function addMembers(definitions: Definitions, name: string, members: readonly PresetMember[], instance?: object): void {
  const scope = definitions.newScope(name);
  const bind = (method: string | symbol) => {
    if (instance === undefined) return () => undefined;
    const fn = (instance as Record<string | symbol, unknown>)[method];
    if (typeof fn !== 'function') throw new RegistrationError(`preset "${name}" member ${String(method)} is not a method`);
    return fn.bind(instance);
  };
  const layout = layoutOf(instance);
  for (const m of members) {
    if (m.kind === 'builder') definitions.addBuilder(`${name}.${String(m.method)}`, bind(m.method), scope);
    else if (m.kind === 'tag') definitions.addTag(m.key, bind(m.method), scope);
    else if (m.kind === 'field') definitions.addField(m.key, bind(m.method), layout(m.key, m.options), scope);
    else {
      const fields = Object.fromEntries(Object.entries(m.options.fields).map(([key, options]) => [key, layout(key, options)]));
      definitions.addSeries(m.name, bind(m.method), { ...m.options, fields }, scope);
    }
  }
}

/**
 * A field's options with the bucket layout the preset instance gives for it (`bucketsOf`, see
 * `PresetLifecycle`) in place of the declared one; the declared options when it gives none.
 */
function layoutOf(instance: object | undefined): (key: string, options: FieldOptions | undefined) => FieldOptions | undefined {
  const bucketsOf = (instance as { bucketsOf?: unknown } | undefined)?.bucketsOf;
  if (bucketsOf === undefined) return (_key, options) => options;
  if (typeof bucketsOf !== 'function') throw new RegistrationError(`bucketsOf must be a method, got ${describe(bucketsOf)}`);
  return (key, options) => {
    if (options?.kind !== 'histogram') return options;
    const buckets: unknown = bucketsOf.call(instance, key);
    return buckets === undefined ? options : { ...options, buckets: buckets as readonly number[] };
  };
}

export interface PresetOptions<Tokens extends readonly InjectionToken<unknown>[]> {
  /**
   * The tokens of the constructor's parameters, in order, resolved through the container: what
   * `@inject(Token)` on each parameter says, without parameter decorators (which standard
   * decorators do not have). `inject: [Probe, 'app-state']` builds `new Preset(probe, state)`.
   */
  inject?: Tokens;
}

/**
 * Makes the class a preset: injectable from a tsyringe container, registered by `name` in
 * the preset registry. Its members are checked now, so a bad key fails at import time. A legacy
 * decorator (`experimentalDecorators`) or a standard one, whichever the compiler emits.
 */
export function preset<const Tokens extends readonly InjectionToken<unknown>[] = never>(
  name: string,
  options?: PresetOptions<Tokens>,
): <T extends [Tokens] extends [never] ? PresetClass : new (...args: InjectedParameters<Tokens>) => object>(target: T) => T {
  if (typeof name !== 'string' || !/^\S+$/.test(name)) {
    throw new RegistrationError(`preset name must be a non-empty string without spaces, got ${describe(name)}`);
  }
  const inject = checkedInject(name, options?.inject);
  return ((...args: unknown[]) => {
    const [target, context, descriptor] = args;
    const standard = isDecoratorContext(context);
    if (typeof target !== 'function' || (standard ? context.kind !== 'class' : args.length !== 1)) {
      throw new RegistrationError(`@preset("${name}") decorates a class, not the ${decorated(target, context, descriptor)}`);
    }
    const presetClass = target as PresetClass;
    const label = `preset "${name}" (class ${presetClass.name})`;
    const metadata = standard ? standardMetadata(label, context) : ownMetadataOf(presetClass);
    const members = presetMembers(presetClass, metadata);
    if (!members.some((m) => m.kind !== 'builder')) {
      throw new RegistrationError(`${label} declares no @field, @tag or @series`);
    }
    try {
      addMembers(new Definitions(), name, members);
    } catch (error) {
      if (error instanceof RegistrationError) throw new RegistrationError(`preset "${name}": ${error.message}`);
      throw error;
    }
    checkConstructorTokens(label, presetClass, inject, standard);
    injectable()(presetClass);
    setPresetName(metadata, name);
    presetRegistry.register(name, presetClass);
    return presetClass;
  }) as never;
}
