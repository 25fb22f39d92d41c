import { SharedWork, singleton, type Lease, type RenderScope } from '@runometer/core';
import { activeResourcesByType, has } from '@runometer/runtime';
import type { Worker } from 'node:worker_threads';

/** The pool size libuv makes of UV_THREADPOOL_SIZE: 1 to 1024, and 4 for anything it cannot read. */
export function threadpoolSizeFrom(setting: string | undefined): number {
  const size = Number.parseInt(setting ?? '', 10);
  return Number.isNaN(size) ? 4 : Math.min(1024, Math.max(1, size));
}

/**
 * Reads the runtime's handles, requests and threads, and says which readings it cannot give.
 * Worker threads are counted from the 'worker' events of `process`, which Node, Bun and Deno all
 * emit (the `workerEvents` capability, checked ahead of time: testing it takes a thread).
 */
@singleton()
export class ThreadsProbe {
  private workers = 0;
  private poolSize: { readonly size: number | undefined } | undefined;

  private readonly onWorker = (worker: Worker) => {
    this.workers++;
    worker.once('exit', () => this.workers--);
  };

  private readonly watching = new SharedWork(
    () => {
      // Testing for libuv makes an fs request, pending until the loop turns: here rather than in a render.
      this.threadpoolSize();
      process.on('worker', this.onWorker);
    },
    () => void process.off('worker', this.onWorker),
  );

  /** Active resources by type (`Timeout`, `FSReqCallback`…), read once per render for every preset; undefined where the runtime does not list them (Bun). */
  activeResources(render: RenderScope): ReadonlyMap<string, number> | undefined {
    return activeResourcesByType(render);
  }

  /** Worker threads started since the preset was opened and not yet exited. */
  workersAlive(): number {
    return this.workers;
  }

  /** libuv's threadpool size (UV_THREADPOOL_SIZE, default 4); undefined where the loop is not libuv's. */
  threadpoolSize(): number | undefined {
    // Read once: libuv sizes its pool once, when the process first needs it.
    this.poolSize ??= { size: has('libuvThreadpool') ? threadpoolSizeFrom(process.env['UV_THREADPOOL_SIZE']) : undefined };
    return this.poolSize.size;
  }

  /** Holds the probe for a meter: workers are counted from the first hold to the last release. */
  acquire(): Lease {
    return this.watching.acquire();
  }
}
