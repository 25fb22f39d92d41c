import { ContextUnavailableError } from '../model/errors.js';

/**
 * The context as fields see it once a builder has failed: reading a key that is not there
 * throws, so the field is skipped and reported instead of computing from `undefined`.
 * Built only on that failure path: a healthy render hands out the plain object.
 */
export function guardContext(context: object, failedBuilders: readonly string[]): object {
  return new Proxy(context, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !(key in target)) throw new ContextUnavailableError(key, failedBuilders);
      return Reflect.get(target, key, receiver);
    },
  });
}
