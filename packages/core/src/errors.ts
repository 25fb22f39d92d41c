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
 */
export type FaultReason = 'threw' | 'timeout' | 'invalid' | 'skipped';

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
    super(
      `it reads context "${contextKey}", missing because builder ${failedBuilders
        .map((label) => `"${label}"`)
        .join(', ')} failed`,
    );
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'bigint') return `bigint ${value}n`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${value}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
