// What the accuracy suite reads of a histogram field: what a phase added to it (the difference of
// two scrapes' cumulative buckets, as a rate over the phase reads them), as a count, or as the
// upper bound of the bucket that holds a quantile. The bound, not an interpolation inside the
// bucket: the check is that the right bucket holds the known load, and that bucket's bound is
// within the layout's worstQuantileError of any value in it.

/** @typedef {{ le: number[], buckets: number[], sum: number, count: number }} JsonHistogram the JSON format's histogram */
/** @typedef {'count' | number} HistogramRead a count, or the quantile (0 to 1) whose bucket's upper bound is read */

/**
 * What `read` gives of the observations `now` holds beyond `before` (all of them without it);
 * undefined when nothing was observed between them, or their layouts differ.
 * @param {HistogramRead} read @param {JsonHistogram} now @param {JsonHistogram} [before]
 * @returns {number | undefined}
 */
export function histogramReading(read, now, before) {
  if (before !== undefined && before.le.join() !== now.le.join()) return undefined;
  const buckets = now.buckets.map((count, i) => count - (before?.buckets[i] ?? 0));
  const total = buckets[buckets.length - 1] ?? 0;
  if (read === 'count') return total;
  if (!(total > 0)) return undefined;
  const index = buckets.findIndex((cumulative) => cumulative >= read * total);
  return index < now.le.length ? now.le[index] : Infinity;
}
