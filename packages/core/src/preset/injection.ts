import { type InjectionToken } from './di.js';
import { RegistrationError, describe } from '../model/errors.js';

/** The type a constructor parameter receives from its token: a class's instance; a string or symbol token's is the container's business. */
type ValueOfToken<Token> = Token extends string | symbol ? any : Token extends InjectionToken<infer Value> ? Value : never;

/** The constructor parameters that `inject`'s tokens give, in order. */
export type InjectedParameters<Tokens extends readonly InjectionToken<unknown>[]> = {
  -readonly [Index in keyof Tokens]: ValueOfToken<Tokens[Index]>;
};

/**
 * The constructor parameters (from 0) for which tsyringe has no token: neither `@inject`, nor
 * `@preset`'s `inject`, nor the type that `emitDecoratorMetadata` records. Bundlers such as esbuild record no types.
 */
export function parametersWithoutToken(presetClass: Function): number[] {
  const tokens = injectTokensOf(presetClass);
  const types: unknown[] = Reflect.getMetadata('design:paramtypes', presetClass) ?? [];
  const missing: number[] = [];
  for (let index = 0; index < presetClass.length; index++) {
    if (tokens[index] === undefined && types[index] === undefined) missing.push(index);
  }
  return missing;
}

function injectTokensOf(presetClass: Function): Record<number, unknown> {
  return Reflect.getOwnMetadata('injectionTokens', presetClass) ?? {};
}

// What `emitDecoratorMetadata` records for a parameter typed as an interface, a type alias or a
// union (Object), or as a primitive: no container can build one.
const UNRESOLVABLE_TYPES = new Map<unknown, string>([
  [Object, 'Object (an interface, a type alias or a union)'],
  [Number, 'Number'],
  [String, 'String'],
  [Boolean, 'Boolean'],
  [BigInt, 'BigInt'],
  [Symbol, 'Symbol'],
  [Array, 'Array'],
  [Function, 'Function'],
  [Promise, 'Promise'],
]);

/** "parameter 1" or "parameters 1, 3": indexes from 0 shown counting from 1. */
export function parameterList(indexes: readonly number[]): string {
  return `parameter${indexes.length > 1 ? 's' : ''} ${indexes.map((index) => index + 1).join(', ')}`;
}

/**
 * Checks at decoration time what is known then: the tokens of `inject` against the constructor's
 * parameters, the types `emitDecoratorMetadata` recorded, and (`standard`) a constructor that
 * takes parameters no token was given for. Then records `inject` where tsyringe reads types.
 */
export function checkConstructorTokens(
  label: string,
  presetClass: Function,
  inject: readonly unknown[] | undefined,
  standard: boolean,
): void {
  if (inject !== undefined) {
    if (inject.length !== presetClass.length) {
      throw new RegistrationError(
        `${label}: inject lists ${inject.length} token${inject.length === 1 ? '' : 's'} but the constructor takes ${presetClass.length} ` +
          `parameter${presetClass.length === 1 ? '' : 's'}: list one token per parameter, in order (a parameter with a default value comes after them and takes none)`,
      );
    }
    // As `emitDecoratorMetadata` would have: tsyringe's `injectable()` reads it, a subclass inherits it, an `@inject()` on a parameter still wins.
    Reflect.defineMetadata('design:paramtypes', [...inject], presetClass);
  }
  const tokens = injectTokensOf(presetClass);
  const types: unknown[] = Reflect.getMetadata('design:paramtypes', presetClass) ?? [];
  for (let index = 0; index < presetClass.length; index++) {
    const recorded = tokens[index] === undefined ? UNRESOLVABLE_TYPES.get(types[index]) : undefined;
    if (recorded !== undefined) {
      throw new RegistrationError(
        `${label}: constructor ${parameterList([index])}'s type is recorded as ${recorded}, which the container cannot build: ` +
          `give it a token, with @inject(Token) on the parameter or in @preset's inject, and register a value for that token`,
      );
    }
  }
  const missing = parametersWithoutToken(presetClass);
  if (standard && missing.length > 0) {
    throw new RegistrationError(
      `${label}: the constructor takes ${presetClass.length} parameter${presetClass.length === 1 ? '' : 's'} and ${parameterList(missing)} ` +
        `(counting from 1) ${missing.length === 1 ? 'has' : 'have'} no token: list one per parameter, in order, in @preset(name, { inject: [Token, …] })`,
    );
  }
}

/** `inject` as given to `@preset`: an array of classes, strings or symbols. */
export function checkedInject(name: string, inject: unknown): readonly InjectionToken<unknown>[] | undefined {
  if (inject === undefined) return undefined;
  if (!Array.isArray(inject)) {
    throw new RegistrationError(
      `preset "${name}": inject must be an array of tokens, one per constructor parameter, got ${describe(inject)}`,
    );
  }
  inject.forEach((token: unknown, index) => {
    if (typeof token !== 'function' && typeof token !== 'string' && typeof token !== 'symbol') {
      throw new RegistrationError(
        `preset "${name}": inject[${index}] is ${describe(token)}, not a token (a class, a string or a symbol)` +
          (token === undefined ? ': an import cycle can leave a class undefined when the decorator runs' : ''),
      );
    }
  });
  return inject;
}
