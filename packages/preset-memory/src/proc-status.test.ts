import { describe, expect, test } from 'vitest';
import { ProcStatusFile, parseProcStatus } from './proc-status.js';

describe('/proc/self/status', () => {
  test('gives VmSize and VmData in bytes', () => {
    const text = 'Name:\tnode\nVmPeak:\t 1200 kB\nVmSize:\t 1100 kB\nVmRSS:\t   60 kB\nVmData:\t   90 kB\nThreads:\t7\n';
    expect(parseProcStatus(text)).toEqual({ vmSize: 1100 * 1024, vmData: 90 * 1024 });
  });

  test('gives nothing when a line is missing', () => {
    expect(parseProcStatus('VmSize:\t 1100 kB\n')).toBeUndefined();
  });

  test.runIf(process.platform === 'linux')('is read from the real file, again and again through one descriptor', () => {
    const file = new ProcStatusFile();
    const first = file.read()!;
    expect(first.vmSize).toBeGreaterThan(first.vmData);
    expect(first.vmData).toBeGreaterThan(0);
    const second = file.read()!;
    expect(second.vmSize).toBeGreaterThan(0);
    file.close();
  });
});
