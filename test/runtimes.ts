import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DENO_EVERY_FIELD, launch } from '../tools/runtimes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The runtimes that run this repository's TypeScript sources as they are (Node 20 cannot). */
export type ChildRuntime = 'bun' | 'deno';

/** Runs `file` from the sources under Bun or Deno (granted `denoPermissions`) and resolves to what it printed on stdout. */
export function runOn(runtime: ChildRuntime, file: string, timeoutMs = 60_000, denoPermissions: readonly string[] = DENO_EVERY_FIELD): Promise<string> {
  const [command, ...args] = launch(runtime, file, { packages: 'sources', denoPermissions });
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: root, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${runtime} ${file} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
