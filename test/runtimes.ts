import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name: string) => `${root}node_modules/.bin/${name}`;

/** The command that runs a TypeScript file of this repository from its sources, per runtime. */
export const RUNNERS = {
  bun: (file: string) => [bin('bun'), '--conditions=@runometer/source', file],
  deno: (file: string) => [bin('deno'), 'run', '-A', '--config', `${root}test/deno.json`, '--conditions=@runometer/source', file],
} as const;

export type ChildRuntime = keyof typeof RUNNERS;

/** Runs `file` under Bun or Deno and resolves to what it printed on stdout. */
export function runOn(runtime: ChildRuntime, file: string, timeoutMs = 60_000): Promise<string> {
  const [command, ...args] = RUNNERS[runtime](file);
  return new Promise((resolve, reject) => {
    execFile(command!, args, { cwd: root, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${runtime} ${file} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}
