// @ts-check
// The latency profiles of the truth test's instances (e2e/latency-truth.e2e.test.ts): the requests
// one instance ends every BATCH_MS, their durations known, so that the fleet's true quantiles are
// too. Plain JavaScript: the instances import it over the built packages, the test over the sources.

/** Milliseconds between two batches of an instance's requests. */
export const BATCH_MS = 100;

/** The route and method of every request. */
export const ROUTE = '/checkout';
export const METHOD = 'POST';

/**
 * `count` requests answered `status`, their durations spread evenly over [fromMs, toMs].
 * @param {number} count
 * @param {number} fromMs
 * @param {number} toMs
 * @param {number} status
 */
const spread = (count, fromMs, toMs, status) =>
  Array.from({ length: count }, (_, i) => ({ ms: fromMs + ((toMs - fromMs) * (i + 0.5)) / count, status }));

/**
 * Each instance's batch of 100 requests, by profile: one at 10 ms with a tenth of its requests
 * stuck at 400 ms, one flat at 50 ms, one at 120 ms; 2%, none and 5% of them answered 5xx.
 * @type {Readonly<Record<string, readonly { ms: number, status: number }[]>>}
 */
export const PROFILES = {
  'fast-with-tail': [...spread(88, 9, 11, 200), ...spread(2, 9, 11, 503), ...spread(10, 390, 410, 200)],
  flat: spread(100, 48, 52, 200),
  slow: [...spread(95, 115, 125, 200), ...spread(5, 115, 125, 500)],
};

/**
 * The `q`-quantile of durations in ms by nearest rank (the ⌈q·n⌉-th smallest), as a percentile of requests is.
 * @param {readonly number[]} durations
 * @param {number} q
 */
export function nearestRank(durations, q) {
  const sorted = [...durations].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]);
}

/**
 * What ends one batch of `batch`'s requests on `recorder` (preset-http's HttpRecorder), each after
 * its duration, on a clock that jumps: the recorder's clock becomes the real one but for the
 * instant a request ends, so that a 400 ms request takes no 400 ms.
 * @param {{ now: () => number, begin(): number, end(route: string | undefined, method: string, status: number, startedAt: number, requestBytes: number, responseBytes: number): void }} recorder
 * @param {readonly { ms: number, status: number }[]} batch
 */
export function batchFeeder(recorder, batch) {
  /** @type {number | undefined} */
  let endsAt;
  recorder.now = () => endsAt ?? performance.now();
  return () => {
    for (const { ms, status } of batch) {
      const startedAt = recorder.begin();
      endsAt = startedAt + ms;
      recorder.end(ROUTE, METHOD, status, startedAt, Number.NaN, Number.NaN);
      endsAt = undefined;
    }
  };
}
