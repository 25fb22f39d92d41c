// Standard decorators share a per-class object, `context.metadata`, which TypeScript's emit creates
// only when `Symbol.metadata` exists as the class is defined. Node 20 and Bun lack it (Deno has
// it): install the symbol the way Lit and others do, before any preset module defines its class.
// `Symbol.for` keeps it one symbol for every copy of core and every library that polyfills alike.
(Symbol as { metadata?: symbol }).metadata ??= Symbol.for('Symbol.metadata');

export const METADATA: symbol = (Symbol as { metadata?: symbol }).metadata!;
