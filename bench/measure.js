import { currentRuntime } from '../tools/runtimes.js';

// The benchmarks' one harness, for Node, Bun and Deno alike. Tasks are timed in batches, and the
// batches of all tasks are interleaved round after round: a shared machine that slows down for a
// moment slows every task alike, so the ratio between them holds where absolute figures drift.

/** @typedef {() => unknown} Task */

/** @param {Task} fn @param {number} calls */
async function timeBatch(fn, calls) {
  const start = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  return performance.now() - start;
}

/** How many calls make a batch of about `batchMs`, after warming the task up. @param {Task} fn @param {number} batchMs */
async function batchSize(fn, batchMs) {
  for (let calls = 1; ; calls *= 2) {
    const elapsed = await timeBatch(fn, calls);
    if (elapsed >= batchMs / 4) return Math.max(1, Math.round((calls * batchMs) / elapsed));
  }
}

/**
 * Per-call time of each task in µs: the median over `rounds` of interleaved batches, and, for
 * every task, its median per-round ratio to the first task (how many times slower it is).
 * @template {string} Name
 * @param {Record<Name, Task>} tasks
 * @param {{ rounds?: number, batchMs?: number }} [options]
 * @returns {Promise<Record<Name, { median: number, ratioToFirst: number }>>}
 */
export async function compare(tasks, { rounds = 21, batchMs = 50 } = {}) {
  const entries = /** @type {[Name, Task][]} */ (Object.entries(tasks));
  const timed = [];
  for (const [name, task] of entries)
    timed.push({ name, task, calls: await batchSize(task, batchMs), perCall: /** @type {number[]} */ ([]) });
  for (let round = 0; round < rounds; round++) {
    for (const { task, calls, perCall } of round % 2 === 0 ? timed : [...timed].reverse()) {
      perCall.push(((await timeBatch(task, calls)) * 1000) / calls);
    }
  }
  const first = timed[0]?.perCall ?? [];
  return /** @type {Record<Name, { median: number, ratioToFirst: number }>} */ (
    Object.fromEntries(
      timed.map(({ name, perCall }) => [
        name,
        { median: median(perCall), ratioToFirst: median(perCall.map((us, round) => us / (first[round] ?? us))) },
      ]),
    )
  );
}

/**
 * The element of `values` at `index`, which must be there (rounds measured alike, read side by side).
 * @template T
 * @param {readonly T[]} values
 * @param {number} index
 * @returns {T}
 */
export function nth(values, index) {
  const value = values[index];
  if (value === undefined) throw new Error(`no element ${index} among ${values.length}`);
  return value;
}

/** @param {readonly number[]} values */
export function median(values) {
  if (values.length === 0) throw new Error('the median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.floor(sorted.length / 2)]);
}

/**
 * A distribution-free interval around the median of `values`: the k-th smallest and k-th largest
 * values, k the largest for which fewer than k of n values fall below the true median with
 * probability at most (1 − confidence) / 2 (the binomial law of a fair coin). No resampling, so the
 * same rounds always give the same interval. Undefined when there are too few values for it
 * (fewer than 6 at 95%).
 * @param {readonly number[]} values
 * @param {number} [confidence]
 * @returns {[number, number] | undefined}
 */
export function medianInterval(values, confidence = 0.95) {
  const n = values.length;
  const tail = (1 - confidence) / 2;
  // P(Bin(n, 1/2) ≤ j), accumulated term by term in log space so that large n does not overflow.
  let logTerm = -n * Math.LN2;
  let below = Math.exp(logTerm);
  let k = 0;
  for (let j = 0; j < n && below <= tail; j++) {
    k = j + 1;
    logTerm += Math.log((n - j) / (j + 1));
    below += Math.exp(logTerm);
  }
  if (k === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return [/** @type {number} */ (sorted[k - 1]), /** @type {number} */ (sorted[n - k])];
}

/** How the benchmarks print each runtime's name. */
/** @type {Record<ReturnType<typeof currentRuntime>, string>} */
export const RUNTIME_LABELS = { node: 'Node', bun: 'Bun', deno: 'Deno' };

/** This runtime and its version. */
export const runtimeName = () => {
  const runtime = currentRuntime();
  return `${RUNTIME_LABELS[runtime]} ${process.versions[runtime]}`;
};
