import { detectRuntime, singleton, type RuntimeInfo } from '@runometer/core';
import { readFileSync, readdirSync, statSync } from 'node:fs';

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
  private maxFdsRead = false;
  private maxFdsValue: number | undefined;

  uptime(): number {
    return process.uptime();
  }

  resourceUsage(): ResourceUsage {
    return process.resourceUsage();
  }

  /** Open file descriptors (Linux). */
  openFds(): number | undefined {
    try {
      // Since Linux 6.2 the directory's size is the count, in a stat (3 µs) instead of a listing
      // (16 µs); before, the size is 0, and the listing counts the descriptor it reads through.
      return statSync('/proc/self/fd').size || readdirSync('/proc/self/fd').length - 1;
    } catch {
      return undefined;
    }
  }

  /** The soft limit on open files (Linux), read once: undefined when unlimited or unreadable. */
  maxFds(): number | undefined {
    if (!this.maxFdsRead) {
      this.maxFdsRead = true;
      try {
        const limit = MAX_OPEN_FILES.exec(readFileSync('/proc/self/limits', 'latin1'))?.[1];
        this.maxFdsValue = limit === undefined || limit === 'unlimited' ? undefined : Number(limit);
      } catch {
        this.maxFdsValue = undefined;
      }
    }
    return this.maxFdsValue;
  }
}
