interface NativeFs {
  statSync?: (path: string) => { readonly size: number };
}

const native = (globalThis as { Deno?: NativeFs }).Deno?.statSync;

/**
 * The runtime's own synchronous stat, where it has one cheaper than its node:fs (Deno.statSync:
 * bench/runtime-costs.bench.js on Deno prints both, `/proc/self/fd Deno.statSync` and `stat`); undefined
 * elsewhere. It throws what the runtime throws, a refusal of permission included.
 */
export const nativeStatSync: ((path: string) => { readonly size: number }) | undefined = native && ((path) => native(path));
