import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ProcStatmFile, pageSizeFrom, parseStatm } from './proc-statm.js';

describe('/proc/self/statm', () => {
  test('gives virtual memory and data plus stack in bytes', () => {
    expect(parseStatm('268453 16069 9000 20 0 22000 0\n', 4096)).toEqual({ virtual: 268453 * 4096, dataAndStack: 22000 * 4096 });
  });

  test('finds the page size from VmSize, even when a page was mapped between the two reads', () => {
    expect(pageSizeFrom('Name:\tnode\nVmSize:\t 1073812 kB\n', '268453 16069 9000 20 0 22000 0')).toBe(4096);
    expect(pageSizeFrom('VmSize:\t 1073816 kB\n', '268453 16069 9000 20 0 22000 0')).toBe(4096);
    expect(pageSizeFrom('VmSize:\t 4294967296 kB\n', '65536 1 1 1 0 1 0')).toBe(65536 * 1024);
    expect(pageSizeFrom('no such line', '1 1 1 1 0 1 0')).toBeUndefined();
  });

  test.runIf(process.platform === 'linux')('agrees with /proc/self/status when read from the real files', () => {
    const file = new ProcStatmFile();
    const memory = file.read(false)!;
    const status = readFileSync('/proc/self/status', 'latin1');
    const kilobytes = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)![1]) * 1024;
    // Another read a moment later may see a few more pages mapped: allow 1%.
    expect(Math.abs(memory.virtual / kilobytes('VmSize') - 1)).toBeLessThan(0.01);
    expect(Math.abs(memory.dataAndStack / (kilobytes('VmData') + kilobytes('VmStk')) - 1)).toBeLessThan(0.01);
  });
});
