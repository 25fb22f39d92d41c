import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { detectRuntime, knownRuntimeOf, type KnownRuntimeName } from '@runometer/runtime';
import { DENO_EVERY_FIELD, NODES, OTHERS, isNode, launch, type Runtime } from '../tools/runtimes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The runtimes a runtime test runs a file on in a child process: node_modules' Nodes (22.18 and
 * later strip the file's types; the packages are their built `dist/`), Bun and Deno (the packages'
 * sources). The Node that runs vitest runs the same in-process, from the sources.
 */
export const CHILD_NODES = NODES.filter((runtime) => runtime !== 'node');
export const CHILD_RUNTIMES: readonly Runtime[] = [...CHILD_NODES, ...OTHERS];

/** The known runtime whose capabilities describe `runtime`: the Node running vitest by its line. */
export function knownRuntime(runtime: Runtime): KnownRuntimeName {
  const known = runtime === 'node' ? knownRuntimeOf(detectRuntime()) : (runtime as KnownRuntimeName);
  if (known === undefined) throw new Error(`Node ${process.versions.node} is none of the known runtimes: run \`npm run capabilities\``);
  return known;
}

/** `npm run build`'s tools/build.js: every package's dist/ (or the named packages') brought up to date, rewriting only what changed. */
export async function buildPackages(...packages: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [`${root}tools/build.js`, ...packages], { cwd: root });
}

let built: Promise<void> | undefined;
/** Every package's dist/ brought up to date, once per test file. */
const builtPackages = () => (built ??= buildPackages());

/** Runs `file` on `runtime` (Deno granted `denoPermissions`) and resolves to what it printed on stdout. */
export async function runOn(
  runtime: Runtime,
  file: string,
  timeoutMs = 60_000,
  denoPermissions: readonly string[] = DENO_EVERY_FIELD,
): Promise<string> {
  if (isNode(runtime)) await builtPackages();
  const [command, ...args] = launch(runtime, file, { packages: isNode(runtime) ? 'dist' : 'sources', denoPermissions });
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: root, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${runtime} ${file} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
