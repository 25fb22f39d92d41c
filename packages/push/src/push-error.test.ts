import { afterEach, describe, expect, test, vi } from 'vitest';
import { PushError, warnOncePerError } from './push-error.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('warnOncePerError, the default onError', () => {
  test('warns once per kind of failure and status, whatever the target says in its body', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const onError = warnOncePerError('http://127.0.0.1:8086');
    for (let i = 0; i < 127; i++)
      onError(
        new PushError(`503 Service Unavailable: request ${crypto.randomUUID()} refused`, { failure: 'status', status: 503, retried: true }),
      );
    for (let i = 0; i < 10; i++) onError(new PushError(`fetch failed (ECONN${i})`, { failure: 'network', retried: true }));
    onError(new PushError('500 Internal Server Error', { failure: 'status', status: 500, retried: true }));
    expect(warn.mock.calls.map(([text]) => String(text).replace(/request \S+/, 'request …'))).toEqual([
      'runometer push to http://127.0.0.1:8086: 503 Service Unavailable: request … refused (warned once; set onError to see every failure)',
      'runometer push to http://127.0.0.1:8086: fetch failed (ECONN0) (warned once; set onError to see every failure)',
      'runometer push to http://127.0.0.1:8086: 500 Internal Server Error (warned once; set onError to see every failure)',
    ]);
  });
});
