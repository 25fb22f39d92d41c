import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

export interface ServerProcess {
  /** Stops the server (SIGTERM, up to 10 s) and removes its directory. */
  stop(): Promise<void>;
}

export interface StartOptions {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Its configuration and data; removed when it stops. */
  readonly dir: string;
  /** Answers true once the server takes requests. */
  readonly ready: () => Promise<boolean>;
  /** The process to signal, when it is not the one spawned (influxd writes its own pid file). */
  readonly pid?: () => number | undefined;
}

/** Starts a real server for a test, waits up to 20 s for it to be ready, and says why when it is not. */
export async function startServer({ name, command, args, dir, ready, pid }: StartOptions): Promise<ServerProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) process.kill(pid?.() ?? child.pid!, 'SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready:\n${log}`);
    }
    if (await ready().catch(() => false)) return { stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${name} was not ready within 20 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
