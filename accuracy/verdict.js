// The accuracy suite's checks and the rule that judges a reading against one. A near miss is
// reported; a gross error fails the run. Each check has a tolerance t (0: exact):
//   near(expected)  ok when |value − expected| ≤ t, off up to 3t, FAIL beyond 3t;
//   atMost(maximum) ok when value ≤ maximum,        off up to maximum + 3t, FAIL beyond;
//   atLeast(minimum) ok when value ≥ minimum,       off down to minimum − 3t, FAIL below.
// With t = 0 there is no near miss: any difference fails (a count the harness made itself).
// Where the runtime cannot measure a check's field (the field catalog says which), the field must
// be absent, and a value fails; elsewhere a missing field fails.
// A timing's ground truth holds only if the process got the CPU its load asked for: when the
// machine kept it waiting (`busy` says how long), a gross timing error is reported, not failed.

/** @typedef {import('../tools/runtimes.js').Runtime} Runtime */
/**
 * @typedef {object} Check what one scrape must say of one field
 * @property {string} field the field, `key{tag=value}` for a series
 * @property {string} expected the expectation, as printed
 * @property {number} tolerance how far the value may be off and still be ok (0: exact)
 * @property {(value: number) => number} excess how far the value is from the expectation
 * @property {boolean} [level] in a `delta` step, compare the value itself, not its move
 * @property {import('./histogram-reading.js').HistogramRead} [of] for a histogram field, what to read of what the step added
 *   to it (always its move since the previous scrape: it counts from the start): its count, or the bound of a quantile's bucket
 */
/** @typedef {{ relative?: number, absolute?: number }} NearOptions */
/** @typedef {{ tolerance?: number }} BoundOptions */
/** @typedef {{ status: 'ok' | 'off' | 'FAIL' | 'absent', rule: string }} Verdict */

/** How many tolerances out a reading may be and still count as a near miss. */
export const GROSS_TOLERANCES = 3;
/** The share of a phase its threads may wait for a CPU before its timings are not to be trusted. */
export const BUSY_SHARE = 0.01;

/**
 * Says how long the machine kept the process from the CPU during a phase of `ms`, when its
 * threads waited `waitMs` in all for more than `BUSY_SHARE` of it; undefined otherwise, or when
 * the wait is unknown (not Linux).
 * @param {{ ms: number, waitMs?: number | undefined }} phase
 */
export function busyMachine({ ms, waitMs }) {
  if (waitMs === undefined || waitMs <= ms * BUSY_SHARE) return undefined;
  return `machine busy, threads waited ${(waitMs / 1000).toFixed(2)} s for a CPU in ${(ms / 1000).toFixed(1)} s`;
}

/**
 * Within ±max(|expected| × relative, absolute) of `expected`.
 * @param {string} field @param {number} expected @param {NearOptions} [options]
 * @returns {Check}
 */
export const near = (field, expected, { relative = 0, absolute = 0 } = {}) => ({
  field,
  expected: `${expected}${relative ? ` ±${relative * 100}%` : ''}${absolute ? ` (or ±${absolute})` : ''}`,
  tolerance: Math.max(Math.abs(expected) * relative, absolute),
  excess: (value) => Math.abs(value - expected),
});

/**
 * At most `maximum`; `tolerance` scales how far above it is a near miss rather than an error.
 * @param {string} field @param {number} maximum @param {BoundOptions} [options]
 * @returns {Check}
 */
export const atMost = (field, maximum, { tolerance = 0 } = {}) => ({
  field,
  expected: `≤ ${maximum}${tolerance ? ` (tolerance ${tolerance})` : ''}`,
  tolerance,
  excess: (value) => Math.max(0, value - maximum),
});

/**
 * At least `minimum`; `tolerance` scales how far below it is a near miss rather than an error.
 * @param {string} field @param {number} minimum @param {BoundOptions} [options]
 * @returns {Check}
 */
export const atLeast = (field, minimum, { tolerance = 0 } = {}) => ({
  field,
  expected: `≥ ${minimum}${tolerance ? ` (tolerance ${tolerance})` : ''}`,
  tolerance,
  excess: (value) => Math.max(0, minimum - value),
});

/**
 * `check` read of a histogram field: its count (`'count'`), or the upper bound of the bucket
 * holding quantile `of`, of what the step added; printed as `field count` or `field p99 bucket`.
 * @param {import('./histogram-reading.js').HistogramRead} of @param {Check} check
 * @returns {Check}
 */
export const ofHistogram = (of, check) => ({ ...check, of });

/**
 * Judges what a scrape gave for `check` on `runtime`, which `measured` says can measure its field
 * or not: `present` says whether the field appeared at all, `value` is the number to compare
 * (undefined when it cannot be computed), `busy` (if any) how long the machine kept a timed load
 * from the CPU.
 * Returns `{ status: 'ok' | 'off' | 'FAIL' | 'absent', rule }`, `rule` saying why.
 * @param {Check} check
 * @param {Runtime} runtime
 * @param {{ measured: boolean, present: boolean, value: number | undefined, busy?: string | undefined }} reading
 * @returns {Verdict}
 */
export function judge(check, runtime, { measured, present, value, busy }) {
  if (!measured) {
    return present
      ? { status: 'FAIL', rule: `present, but ${runtime} cannot measure it` }
      : { status: 'absent', rule: 'not measured here' };
  }
  if (!present || value === undefined || !Number.isFinite(value)) return { status: 'FAIL', rule: 'missing' };
  const excess = check.excess(value);
  if (excess === 0) return { status: 'ok', rule: '' };
  if (check.tolerance === 0) return { status: 'FAIL', rule: `off by ${round(excess)} where exact` };
  const tolerances = excess / check.tolerance;
  if (tolerances <= 1) return { status: 'ok', rule: '' };
  const away = `${round(tolerances)} tolerances out`;
  if (tolerances <= GROSS_TOLERANCES) return { status: 'off', rule: away };
  return busy ? { status: 'off', rule: `${away}, not failed: ${busy}` } : { status: 'FAIL', rule: `${away} (> ${GROSS_TOLERANCES})` };
}

const round = (/** @type {number} */ value) => Number(value.toPrecision(3));
