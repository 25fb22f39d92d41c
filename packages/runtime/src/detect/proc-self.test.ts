import { PermissionDeniedError } from '@runometer/core';
import { expect, test } from 'vitest';
import { hasProcSelf } from './proc-self.js';

const refusal = Object.assign(new Error('Requires all access to "/proc/self/statm", run again with the --allow-all flag'), {
  name: 'NotCapable',
});
const refused = () => {
  throw refusal;
};

test.runIf(process.platform === 'linux')('finds /proc/self on Linux', () => {
  expect(hasProcSelf()).toBe(true);
});

test('finds none where the file is missing', () => {
  const missing = () => {
    throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  };
  expect(hasProcSelf(missing, 'darwin')).toBe(false);
});

test('where the runtime refuses to look (Deno without --allow-all), it is there on Linux only', () => {
  expect(refusal).not.toBeInstanceOf(PermissionDeniedError);
  expect(hasProcSelf(refused, 'linux')).toBe(true);
  expect(hasProcSelf(refused, 'darwin')).toBe(false);
});
