/**
 * Milliseconds to wait before retry number `retry` (from 1): full jitter, a random wait from 0 up to
 * `minDelay · 2^(retry − 1)`, capped at `maxDelay`, so that a fleet that lost its target at the same
 * moment does not come back to it at the same moment.
 */
export function retryDelay(retry: number, minDelay: number, maxDelay: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelay, minDelay * 2 ** Math.min(retry - 1, 30));
  return Math.floor(random() * ceiling);
}

/**
 * The longest wait a `Retry-After` gets: an hour. A target that asks for longer is as good as down
 * (the points wait in the bounded buffer either way), and a wait beyond 2^31 − 1 ms would make
 * setTimeout fire at once, retrying in a loop.
 */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * Milliseconds a `Retry-After` header asks to wait (delay-seconds or an HTTP date), from `now`, at
 * most MAX_RETRY_AFTER_MS; undefined when it is absent or unreadable.
 */
export function retryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP date ends in GMT; Date.parse alone would take "-5" for a year.
  const date = value.endsWith('GMT') ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}
