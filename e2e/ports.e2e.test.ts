import { expect, test } from 'vitest';
import { retryWhilePortTaken } from './ports.js';

const taken = () =>
  new Error(
    'influxd on http://127.0.0.1:42443 exited with code 1 before it was ready:\nrun: open server: open service: listen tcp 127.0.0.1:42443: bind: address already in use',
  );

test('a start whose port was taken in between is tried again, up to three times in all', async () => {
  let starts = 0;
  expect(await retryWhilePortTaken(async () => (++starts < 3 ? Promise.reject(taken()) : 'started'))).toBe('started');
  expect(starts).toBe(3);
  starts = 0;
  await expect(retryWhilePortTaken(async () => (++starts, Promise.reject(taken())))).rejects.toThrow('address already in use');
  expect(starts).toBe(3);
});

test('any other failure is thrown at once', async () => {
  let starts = 0;
  await expect(retryWhilePortTaken(async () => (++starts, Promise.reject(new Error('influxd was not found on PATH'))))).rejects.toThrow(
    'not found',
  );
  expect(starts).toBe(1);
});
