import { run } from '../src/run.js';

/** Runs a command line as the bin does, capturing what it prints and its exit status. */
export async function runCli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await run(args, { write: (text: string) => (stdout += text) }, { write: (text: string) => (stderr += text) });
  return { status, stdout, stderr };
}
