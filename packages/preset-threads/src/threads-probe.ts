import { detectRuntime, singleton, type RuntimeInfo } from '@runometer/core';
import type { Worker } from 'node:worker_threads';

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

  /** libuv's threadpool size (UV_THREADPOOL_SIZE, default 4); undefined off Node, which has no libuv pool. */
  threadpoolSize(): number | undefined {
    if (this.runtime.name !== 'node') return undefined;
    const size = Number.parseInt(process.env['UV_THREADPOOL_SIZE'] ?? '', 10);
    // libuv takes sizes from 1 to 1024 and falls back to 4 for anything it cannot read.
    return Number.isNaN(size) ? 4 : Math.min(1024, Math.max(1, size));
  }

  start(): void {
    if (this.users++ === 0) process.on('worker', this.onWorker);
  }

  stop(): void {
    if (this.users === 0 || --this.users > 0) return;
    process.off('worker', this.onWorker);
  }
}
