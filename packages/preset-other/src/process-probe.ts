import { singleton, type Lease } from '@runometer/core';
import { detectRuntime, has, readingOrDenied, type RuntimeInfo } from '@runometer/runtime';
import { readFileSync } from 'node:fs';
import { FdCounter } from './fd-counter.js';

export interface ResourceUsage {
  /** Microseconds. */
  readonly userCPUTime: number;
  readonly systemCPUTime: number;
  /** Kilobytes. */
  readonly maxRSS: number;
  readonly fsRead: number;
  readonly fsWrite: number;
  readonly voluntaryContextSwitches: number;
  readonly involuntaryContextSwitches: number;
}

const MAX_OPEN_FILES = /^Max open files\s+(\d+|unlimited)\s/m;

/** Reads the process from the runtime; a reading the runtime cannot give is undefined. */
@singleton()
export class ProcessProbe {
  readonly runtime: RuntimeInfo = detectRuntime();
  readonly pid = process.pid;
  /** Seconds since the epoch, fixed once: it does not change while the process lives. */
  readonly startTime = Date.now() / 1000 - process.uptime();
  private readonly fds = new FdCounter();
  private maxFdsRead = false;
  private maxFdsValue: number | undefined;
  private readonly readMaxFds = readingOrDenied((): number | undefined => {
    if (!has('procSelf')) return undefined;
    const limit = MAX_OPEN_FILES.exec(readFileSync('/proc/self/limits', 'latin1'))?.[1];
    return limit === undefined || limit === 'unlimited' ? undefined : Number(limit);
  });

  uptime(): number {
    return process.uptime();
  }

  resourceUsage(): ResourceUsage {
    return process.resourceUsage();
  }

  /**
   * Open file descriptors (Linux); undefined where there is no /proc, and a `PermissionDeniedError`
   * thrown where it may not be read (Deno without --allow-all).
   */
  readonly openFds = readingOrDenied((): number | undefined => (has('procSelf') ? this.fds.count() : undefined));

  /** The soft limit on open files (Linux), read once: undefined when unlimited or unreadable; denied as `openFds` is. */
  maxFds(): number | undefined {
    if (!this.maxFdsRead) {
      this.maxFdsValue = this.readMaxFds();
      this.maxFdsRead = true;
    }
    return this.maxFdsValue;
  }

  /** While held, the fd counter keeps a descriptor on /proc/self/fd (Node): cheaper to count. */
  acquire(): Lease {
    return this.fds.hold();
  }
}
