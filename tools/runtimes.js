// How this repository launches Node, Bun and Deno: one table for the tests (TypeScript sources),
// the benchmarks and the accuracy suite (the built packages). Plain JavaScript, so that Node 20
// runs it as it is; checked by tsc through its JSDoc types.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const binary = (/** @type {string} */ name) => `${root}node_modules/.bin/${name}`;

/** @typedef {'node' | 'bun' | 'deno'} Runtime */

/** @type {readonly Runtime[]} */
export const RUNTIMES = ['node', 'bun', 'deno'];

/**
 * What Deno needs for every field of the presets, found by trying (Deno 2.9): `--allow-all`.
 * The fields read from /proc (virtual_memory_bytes, data_and_stack_bytes, open_fds, max_fds) get
 * nothing less: Deno (since 1.43) answers --allow-read=/proc, =/proc/self or =/proc/self/statm
 * with "Requires all access". Without it, `--allow-sys=systemMemoryInfo` gives the memory limits,
 * and `--allow-net=127.0.0.1` lets a server listen.
 */
export const DENO_EVERY_FIELD = ['--allow-all'];

/**
 * @typedef {object} LaunchOptions
 * @property {'sources' | 'dist'} [packages] what `@runometer/*` resolves to: the TypeScript sources
 *   (Bun through the `@runometer/source` condition, Deno through the workspace of the root
 *   deno.json) or, by default, the built `dist/` through node_modules (Node 20 cannot run sources).
 * @property {readonly string[]} [denoPermissions] Deno's permission flags; every field's by default.
 * @property {boolean} [exposeGc] a global `gc()` (Bun has `Bun.gc` already).
 * @property {readonly string[]} [runtimeFlags] more flags for the runtime, before the file (`--cpu-prof`).
 */

/**
 * The command line that runs `file` (then `args`) on `runtime`.
 * @param {Runtime} runtime
 * @param {string} file
 * @param {LaunchOptions} [options]
 * @returns {[string, ...string[]]}
 */
export function launch(runtime, file, { packages = 'dist', denoPermissions = DENO_EVERY_FIELD, exposeGc = false, runtimeFlags = [] } = {}) {
  const sources = packages === 'sources';
  switch (runtime) {
    case 'node':
      if (sources) throw new Error(`Node 20 cannot run TypeScript sources: run ${file} over the built packages, or on Bun or Deno`);
      return [currentRuntime() === 'node' ? process.execPath : 'node', ...(exposeGc ? ['--expose-gc'] : []), ...runtimeFlags, file];
    case 'bun':
      return [binary('bun'), ...(sources ? ['--conditions=@runometer/source'] : []), ...runtimeFlags, file];
    case 'deno':
      return [
        binary('deno'),
        'run',
        ...denoPermissions,
        '--no-prompt',
        // The root deno.json is the workspace of the packages: their sources, with standard decorators, as JSR gives them.
        // Without it, Deno resolves `@runometer/*` through node_modules to `dist/`.
        ...(sources ? ['--config', `${root}deno.json`] : ['--no-config', '--node-modules-dir=manual']),
        ...(exposeGc ? ['--v8-flags=--expose-gc'] : []),
        ...runtimeFlags,
        file,
      ];
    default:
      throw new Error(`unknown runtime "${String(runtime)}": expected one of ${RUNTIMES.join(', ')}`);
  }
}

/** The runtime running this process. @returns {Runtime} */
export function currentRuntime() {
  if (process.versions.bun !== undefined) return 'bun';
  if (process.versions.deno !== undefined) return 'deno';
  return 'node';
}

/**
 * A runtime named on a command line, checked.
 * @param {string | undefined} name
 * @returns {Runtime}
 */
export function runtimeNamed(name) {
  const runtime = RUNTIMES.find((known) => known === name);
  if (runtime === undefined) throw new Error(`unknown runtime "${name}": expected one of ${RUNTIMES.join(', ')}`);
  return runtime;
}
