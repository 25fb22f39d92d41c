import { describe, expect, test } from 'vitest';
import { openDescriptors } from '../../../test/open-descriptors.js';
import { FdCounter } from './fd-counter.js';

const fdDirectoryDescriptors = () => openDescriptors((path) => /^\/proc\/\d+\/fd$/.test(path));

describe.runIf(process.platform === 'linux')('the fd counter', () => {
  test('holds a descriptor on /proc/self/fd while held, and a second release never takes the count below zero', () => {
    const counter = new FdCounter();
    const before = fdDirectoryDescriptors();
    const first = counter.hold();
    const second = counter.hold();
    counter.count();
    expect(fdDirectoryDescriptors()).toBe(before + 1);
    first.release();
    first.release();
    expect(fdDirectoryDescriptors()).toBe(before + 1);
    second.release();
    expect(fdDirectoryDescriptors()).toBe(before);
    counter.count();
    expect(fdDirectoryDescriptors()).toBe(before);
    const again = counter.hold();
    counter.count();
    expect(fdDirectoryDescriptors()).toBe(before + 1);
    again.release();
    expect(fdDirectoryDescriptors()).toBe(before);
  });
});
