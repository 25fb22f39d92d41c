/** Thrown at registration time: a name, key, value or option that can never render. */
export class RegistrationError extends Error {
  override name = 'RegistrationError';
}

export type FaultSource = 'builder' | 'tag' | 'field' | 'series';
/**
 * - `threw`: the function threw or its promise rejected.
 * - `timeout`: it had not settled when the render's time budget ran out.
 * - `invalid`: it returned a value its declaration does not allow.
 * - `skipped`: it read a context key that a failed builder did not provide.
 * - `denied`: it threw a `PermissionDeniedError`; reported once per meter, then left out silently.
 */
export type FaultReason = 'threw' | 'timeout' | 'invalid' | 'skipped' | 'denied';

/** A fault met during a render: reported through `onError`, never thrown from `render()`. */
export class RenderError extends Error {
  override name = 'RenderError';

  constructor(
    readonly source: FaultSource,
    readonly key: string,
    readonly reason: FaultReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${source} "${key}" ${detail}`, options);
  }
}

/** Thrown by the render context when a field reads a key that a failed builder never set. */
export class ContextUnavailableError extends Error {
  override name = 'ContextUnavailableError';

  constructor(
    readonly contextKey: string,
    readonly failedBuilders: readonly string[],
  ) {
    super(`it reads context "${contextKey}", missing because builder ${failedBuilders.map((label) => `"${label}"`).join(', ')} failed`);
  }
}

/** What a value is, in a few words. Never throws, even for a revoked Proxy. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'bigint') return `bigint ${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  try {
    return Array.isArray(value) ? 'an array' : 'an object';
  } catch {
    return 'a revoked Proxy';
  }
}

/** The message of anything thrown. Never throws: `String(Object.create(null))` does, and so does a getter. */
export function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return `${describe(error)} that cannot be read as text`;
  }
}

/**
 * Thrown (or rejected with) by a builder, tag, field or series whose reading the runtime refuses
 * for want of a permission: the collector leaves it out and reports it once per meter, with what
 * to grant, then leaves it out silently. Recognised by its name, so that two copies of core agree.
 */
export class PermissionDeniedError extends Error {
  override name = 'PermissionDeniedError' as const;

  constructor(
    /** What was refused, e.g. `read /proc/self/statm`. */
    readonly what: string,
    /** The flag that grants it, e.g. `--allow-read=/proc/self/statm`. */
    readonly grant: string,
    options?: { cause?: unknown },
  ) {
    super(`needs permission to ${what}: grant ${grant}`, options);
  }
}

/** True for a `PermissionDeniedError` from any copy of core. Never throws. */
export function isPermissionDenied(error: unknown): error is PermissionDeniedError {
  try {
    return (
      typeof error === 'object' &&
      error !== null &&
      (error as Error).name === 'PermissionDeniedError' &&
      typeof (error as PermissionDeniedError).grant === 'string'
    );
  } catch {
    return false;
  }
}
