import { detectRuntime, singleton, type RuntimeInfo } from '@runometer/core';
import type { Worker } from 'node:worker_threads';

/** The pool size libuv makes of UV_THREADPOOL_SIZE: 1 to 1024, and 4 for anything it cannot read. */
export function threadpoolSizeFrom(setting: string | undefined): number {
  const size = Number.parseInt(setting ?? '', 10);
  return Number.isNaN(size) ? 4 : Math.min(1024, Math.max(1, size));
}

/** Reads the runtime's handles, requests and threads, and says which readings it cannot give. */
@singleton()
export class ThreadsProbe {
  readonly runtime: RuntimeInfo = detectRuntime();
  private workers = 0;
  private users = 0;

  private readonly onWorker = (worker: Worker) => {
    this.workers++;
    worker.once('exit', () => this.workers--);
  };

  /** Types of the active resources (`Timeout`, `FSReqCallback`…); undefined on Bun, which always answers []. */
  activeResources(): string[] | undefined {
    return this.runtime.name === 'bun' ? undefined : process.getActiveResourcesInfo();
  }

  /** Worker threads started since the preset was opened and not yet exited. */
  workersAlive(): number {
    return this.workers;
  }

  // Read once: libuv sizes its pool once, when the process first needs it.
  private readonly poolSize = this.runtime.name === 'node' ? threadpoolSizeFrom(process.env['UV_THREADPOOL_SIZE']) : undefined;

  /** libuv's threadpool size (UV_THREADPOOL_SIZE, default 4); undefined off Node, which has no libuv pool. */
  threadpoolSize(): number | undefined {
    return this.poolSize;
  }

  start(): void {
    if (this.users++ === 0) process.on('worker', this.onWorker);
  }

  stop(): void {
    if (this.users === 0 || --this.users > 0) return;
    process.off('worker', this.onWorker);
  }
}
