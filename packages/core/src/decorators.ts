import { injectable } from './di.js';
import { Definitions, type FieldOptions, type SeriesOptions, type SeriesResult, type TagResult } from './definitions.js';
import { RegistrationError, describe } from './errors.js';
import type { FieldResult, FieldType } from './field-types.js';
import { presetRegistry, type PresetClass } from './registry.js';
import type { RenderScope } from './render-scope.js';

export type PresetMember =
  | { readonly kind: 'builder'; readonly method: string | symbol }
  | { readonly kind: 'tag'; readonly method: string | symbol; readonly key: string }
  | { readonly kind: 'field'; readonly method: string | symbol; readonly key: string; readonly options?: FieldOptions }
  | { readonly kind: 'series'; readonly method: string | symbol; readonly name: string; readonly options: SeriesOptions };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const ownMembers = new WeakMap<Function, PresetMember[]>();
const presetNames = new WeakMap<Function, string>();

function member(declaration: DistributiveOmit<PresetMember, 'method'>) {
  return (target: object, method: string | symbol): void => {
    const presetClass = target.constructor;
    const members = ownMembers.get(presetClass) ?? [];
    members.push({ ...declaration, method } as PresetMember);
    ownMembers.set(presetClass, members);
  };
}

/**
 * A legacy method decorator that accepts only a method of type `Method`: a field's method that
 * reads another context, or returns what its type cannot hold, does not compile.
 */
export type MethodDecoratorOf<Method> = <M extends Method>(
  target: object,
  method: string | symbol,
  descriptor: TypedPropertyDescriptor<M>
) => void;

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
  field<T extends FieldType = 'float'>(
    key: string,
    options?: FieldOptions<T>
  ): MethodDecoratorOf<(ctx: Ctx, render: RenderScope) => FieldResult<T>>;
  /** The method returns rows `{ tags, fields }`, each rendered as a line of its own under the meter's name and tags. */
  series<const Fields extends Readonly<Record<string, FieldOptions>>, const TagKey extends string = never>(
    name: string,
    options: SeriesOptions<Fields, TagKey>
  ): MethodDecoratorOf<(ctx: Ctx, render: RenderScope) => SeriesResult<Fields, TagKey>>;
}

const decorators: PresetDecorators<any> = {
  contextBuilder: () => member({ kind: 'builder' }),
  tag: (key) => member({ kind: 'tag', key }),
  field: (key, options) => member(options === undefined ? { kind: 'field', key } : { kind: 'field', key, options }),
  series: (name, options) => member({ kind: 'series', name, options }),
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

/** Members declared by the class and the classes it extends, base class first. */
export function presetMembers(presetClass: Function): PresetMember[] {
  const chain: Function[] = [];
  for (let c = presetClass; c !== Function.prototype && c !== null; c = Object.getPrototypeOf(c)) chain.unshift(c);
  return chain.flatMap((c) => ownMembers.get(c) ?? []);
}

export function presetName(presetClass: Function): string | undefined {
  return presetNames.get(presetClass);
}

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
  for (const m of members) {
    if (m.kind === 'builder') definitions.addBuilder(`${name}.${String(m.method)}`, bind(m.method), scope);
    else if (m.kind === 'tag') definitions.addTag(m.key, bind(m.method), scope);
    else if (m.kind === 'field') definitions.addField(m.key, bind(m.method), m.options, scope);
    else definitions.addSeries(m.name, bind(m.method), m.options, scope);
  }
}

/**
 * Makes the class a preset: injectable from a tsyringe container, registered by `name` in
 * the preset registry. Its members are checked now, so a bad key fails at import time.
 */
export function preset(name: string): <T extends PresetClass>(target: T) => T {
  if (typeof name !== 'string' || !/^\S+$/.test(name)) {
    throw new RegistrationError(`preset name must be a non-empty string without spaces, got ${describe(name)}`);
  }
  return (target) => {
    const members = presetMembers(target);
    if (!members.some((m) => m.kind !== 'builder')) {
      throw new RegistrationError(`preset "${name}" (class ${target.name}) declares no @field, @tag or @series`);
    }
    try {
      addMembers(new Definitions(), name, members);
    } catch (error) {
      if (error instanceof RegistrationError) throw new RegistrationError(`preset "${name}": ${error.message}`);
      throw error;
    }
    injectable()(target);
    presetNames.set(target, name);
    presetRegistry.register(name, target);
    return target;
  };
}
