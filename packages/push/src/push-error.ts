/** What went wrong: a request that failed or was refused, a render that failed, or close() leaving points unsent. */
export type PushFailure = 'network' | 'timeout' | 'status' | 'refused' | 'render' | 'close';

/** One failed request (or render, or close), as `onError` receives it. */
export class PushError extends Error {
  override readonly name = 'PushError';
  readonly failure: PushFailure;
  /** The HTTP status, when the target answered. */
  readonly status?: number;
  /** Whether the points will be sent again. */
  readonly retried: boolean;
  /** For a partial write (400): how many points the target refused, and those of them its answer named. */
  readonly refusedCount?: number;
  readonly refusedLines?: readonly string[];

  constructor(
    message: string,
    details: {
      failure: PushFailure;
      retried: boolean;
      status?: number;
      refusedCount?: number;
      refusedLines?: readonly string[];
      cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.failure = details.failure;
    this.retried = details.retried;
    if (details.status !== undefined) this.status = details.status;
    if (details.refusedCount !== undefined) this.refusedCount = details.refusedCount;
    if (details.refusedLines !== undefined) this.refusedLines = details.refusedLines;
  }
}

/**
 * The default `onError`: one console warning per kind of failure and HTTP status, however often it
 * recurs. Keyed on those alone, never on the message, which holds the target's words (a request
 * id in them would make every retry a new warning) and would grow the set without bound.
 */
export function warnOncePerError(url: string): (error: PushError) => void {
  const warned = new Set<string>();
  return (error) => {
    const id = `${error.failure} ${error.status ?? ''}`;
    if (warned.has(id)) return;
    warned.add(id);
    console.warn(`runometer push to ${url}: ${error.message} (warned once; set onError to see every failure)`);
  };
}
