import { describe, expect, test } from 'vitest';
import { PermissionDeniedError, isPermissionDenied } from '@runometer/core';
import { permissionDeniedBy, readingOrDenied } from './permissions.js';

/** An error shaped as a runtime throws it. */
function thrown(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name }, extra);
}

describe('a refused permission is told by what the error is, with the flag to grant', () => {
  test.each([
    [
      thrown('NotCapable', 'Requires all access to "/proc/self/statm", run again with the --allow-all flag'),
      'needs permission to read /proc/self/statm: grant --allow-all',
    ],
    [
      thrown('NotCapable', 'Requires read access to "/proc/self/fd", run again with the --allow-read flag'),
      'needs permission to read /proc/self/fd: grant --allow-all',
    ],
    [
      thrown('NotCapable', 'Requires read access to "/srv/app/config.json", run again with the --allow-read flag'),
      'needs permission to read /srv/app/config.json: grant --allow-read=/srv/app/config.json',
    ],
    [
      thrown('NotCapable', 'Requires sys access to "systemMemoryInfo", run again with the --allow-sys flag'),
      'needs permission to read system information systemMemoryInfo: grant --allow-sys=systemMemoryInfo',
    ],
    [
      thrown('PermissionDenied', 'Requires write access to "/tmp/x", run again with the --allow-write flag'),
      'needs permission to write /tmp/x: grant --allow-write=/tmp/x',
    ],
    [
      thrown('Error', 'Access to this API has been restricted', {
        code: 'ERR_ACCESS_DENIED',
        permission: 'FileSystemRead',
        resource: '/proc/self/statm',
      }),
      'needs permission to read /proc/self/statm: grant --allow-fs-read=/proc/self/statm',
    ],
    [
      thrown('Error', 'Access to this API has been restricted', { code: 'ERR_ACCESS_DENIED', permission: 'Worker' }),
      'needs permission to start Worker: grant --allow-worker',
    ],
  ])('%s', (error, message) => {
    const denied = permissionDeniedBy(error);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied!.message).toBe(message);
    expect(denied!.cause).toBe(error);
  });

  test.each([
    ['a file the OS refuses (Deno maps EACCES to PermissionDenied too)', thrown('PermissionDenied', 'Permission denied (os error 13)')],
    ['a missing file', Object.assign(new Error('ENOENT'), { code: 'ENOENT' })],
    ['a string', 'NotCapable'],
    ['null', null],
  ])('not %s', (_what, error) => {
    expect(permissionDeniedBy(error)).toBeUndefined();
  });

  test('a PermissionDeniedError of another copy of core is recognised by its name', () => {
    const fromAnotherCopy = Object.assign(new Error('needs permission to read x: grant y'), { name: 'PermissionDeniedError', grant: 'y' });
    expect(isPermissionDenied(fromAnotherCopy)).toBe(true);
    expect(isPermissionDenied(new Error('x'))).toBe(false);
    expect(isPermissionDenied(Object.assign(new Error('x'), { name: 'PermissionDeniedError' }))).toBe(false);
  });
});

describe('readingOrDenied', () => {
  test('gives the value; undefined for any other failure; a refusal is thrown, then remembered without asking again', () => {
    let calls = 0;
    let outcome: () => number = () => 5;
    const read = readingOrDenied(() => {
      calls++;
      return outcome();
    });
    expect(read()).toBe(5);
    outcome = () => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    expect(read()).toBeUndefined();
    outcome = () => {
      throw thrown('NotCapable', 'Requires all access to "/proc/self/statm", run again with the --allow-all flag');
    };
    expect(read).toThrow(new PermissionDeniedError('read /proc/self/statm', '--allow-all'));
    outcome = () => 7;
    expect(read).toThrow('needs permission to read /proc/self/statm: grant --allow-all');
    expect(calls).toBe(3);
  });
});
