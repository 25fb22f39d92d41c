import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

/**
 * What Deno needs for every field of the presets, found by trying (Deno 2.9): `--allow-all`.
 * The fields read from /proc (virtual_memory_bytes, data_and_stack_bytes, open_fds, max_fds) get
 * nothing less: Deno (since 1.43) answers --allow-read=/proc, =/proc/self or =/proc/self/statm
 * with "Requires all access". Without it, `--allow-sys=systemMemoryInfo` gives the memory limits,
 * and `--allow-net=127.0.0.1` lets a server listen.
 */
export const DENO_EVERY_FIELD = ['--allow-all'];

/** The command that runs a TypeScript file of this repository from its sources, per runtime. */
export const RUNNERS = {
  bun: (file: string) => [bin('bun'), '--conditions=@runometer/source', file],
  deno: (file: string, permissions: readonly string[] = DENO_EVERY_FIELD) => [
    bin('deno'),
    'run',
    ...permissions,
    '--no-prompt',
    '--config',
    `${root}test/deno.json`,
    '--conditions=@runometer/source',
    file,
  ],
} as const;

export type ChildRuntime = keyof typeof RUNNERS;

/** Runs `file` under Bun or Deno (granted `denoPermissions`) and resolves to what it printed on stdout. */
export function runOn(runtime: ChildRuntime, file: string, timeoutMs = 60_000, denoPermissions: readonly string[] = DENO_EVERY_FIELD): Promise<string> {
  const [command, ...args] = runtime === 'deno' ? RUNNERS.deno(file, denoPermissions) : RUNNERS.bun(file);
  return new Promise((resolve, reject) => {
    execFile(command!, args, { cwd: root, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${runtime} ${file} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
