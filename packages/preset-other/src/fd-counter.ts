import { SharedWork, type Lease } from '@runometer/core';
import { nativeStatSync } from '@runometer/runtime';
import { closeSync, fstatSync, openSync, readdirSync } from 'node:fs';

const FD_DIRECTORY = '/proc/self/fd';

/**
 * Counts open file descriptors (Linux). Since Linux 6.2 the size of /proc/self/fd is the count,
 * so a stat replaces a listing. Where the runtime has a stat of its own cheaper than node:fs
 * (Deno.statSync), that is used; elsewhere the cheapest stat is an fstat of a descriptor kept on
 * the directory while the counter is held, not counted. bench/runtime-costs.bench.js prints what
 * each costs on the runtime that runs it (`/proc/self/fd listed`, `stat`, `fstat, kept open`, `Deno.statSync`).
 * Older kernels give size 0, and the listing is used (it counts the descriptor it reads through).
 */
export class FdCounter {
  private directory: number | undefined;
  private readonly holders = new SharedWork(
    () => {},
    () => {
      if (this.directory === undefined) return;
      closeSync(this.directory);
      this.directory = undefined;
    },
  );

  /** Throws what the runtime throws where there is no /proc, or it may not be read. */
  count(): number {
    return this.sizeOfDirectory() || readdirSync(FD_DIRECTORY).length - 1;
  }

  private sizeOfDirectory(): number {
    if (nativeStatSync !== undefined) return nativeStatSync(FD_DIRECTORY).size;
    const fd = this.directory ?? openSync(FD_DIRECTORY, 'r');
    if (this.holders.running) this.directory = fd;
    try {
      const size = fstatSync(fd).size;
      return size === 0 ? 0 : size - 1;
    } finally {
      if (this.directory === undefined) closeSync(fd);
    }
  }

  /** While held, the counter keeps its descriptor on the directory; the last release closes it. */
  hold(): Lease {
    return this.holders.acquire();
  }
}
