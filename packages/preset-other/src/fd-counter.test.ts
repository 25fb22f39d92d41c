import { readdirSync, readlinkSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FdCounter } from './fd-counter.js';

/** Descriptors this process holds on /proc/<pid>/fd. */
function fdDirectoryDescriptors(): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return /^\/proc\/\d+\/fd$/.test(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      return false;
    }
  }).length;
}

describe.runIf(process.platform === 'linux')('the fd counter', () => {
  test('holds a descriptor on /proc/self/fd while held, and a second release never takes the count below zero', () => {
    const counter = new FdCounter();
    const before = fdDirectoryDescriptors();
    counter.release();
    counter.hold();
    counter.count();
    expect(fdDirectoryDescriptors()).toBe(before + 1);
    counter.release();
    counter.release();
    expect(fdDirectoryDescriptors()).toBe(before);
    counter.count();
    expect(fdDirectoryDescriptors()).toBe(before);
    counter.hold();
    counter.count();
    expect(fdDirectoryDescriptors()).toBe(before + 1);
    counter.release();
    expect(fdDirectoryDescriptors()).toBe(before);
  });
});
