// The live view's value axis: its range, where its ticks go and how they read, in the field's
// unit. Pure functions (no DOM), so that test/view-axis.test.ts checks them; client.ts hands them
// to uPlot (a scale's `range`, an axis's `splits` and `values`).

/** How an axis writes values of a magnitude: divided by `divisor`, followed by `suffix`. */
interface Scale {
  readonly divisor: number;
  readonly suffix: string;
}

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const DECIMAL: readonly Scale[] = [
  { divisor: 1e12, suffix: 'T' },
  { divisor: 1e9, suffix: 'G' },
  { divisor: 1e6, suffix: 'M' },
];
const DURATIONS: readonly Scale[] = [
  { divisor: 1, suffix: ' s' },
  { divisor: 1e-3, suffix: ' ms' },
  { divisor: 1e-6, suffix: ' µs' },
  { divisor: 1e-9, suffix: ' ns' },
];

/** The scale for values up to `magnitude` (≥ 0) of `unit`: GiB for 4.3e9 bytes, ms for 0.02 s, M for 2.5e6. */
export function scaleFor(magnitude: number, unit: string | undefined): Scale {
  switch (unit) {
    case 'bytes': {
      let step = 0;
      while (step < BINARY.length - 1 && magnitude >= 1024 ** (step + 1)) step++;
      return { divisor: 1024 ** step, suffix: ` ${BINARY[step]}` };
    }
    case 'seconds':
      return magnitude === 0 ? DURATIONS[0]! : (DURATIONS.find(({ divisor }) => magnitude >= divisor) ?? DURATIONS[DURATIONS.length - 1]!);
    case 'percent':
      return { divisor: 1, suffix: ' %' };
    case 'ratio':
      return { divisor: 0.01, suffix: ' %' };
    default:
      return DECIMAL.find(({ divisor }) => magnitude >= divisor) ?? { divisor: 1, suffix: '' };
  }
}

/** The smallest of 1, 2 and 5 times a power of ten that is at least `rough` (> 0). */
export function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  for (const factor of [1, 2, 5, 10]) if (factor * power >= rough * (1 - 1e-12)) return factor * power;
  return 10 * power;
}

/** Ticks an axis of 160 px has room for, at most. */
const MOST_TICKS = 5;
/** Below this a magnitude is taken for 0: a tenth of it could be no double at all. */
const TINY = 1e-200;
/** Values closer than this, relative to their magnitude, are taken for one value: their spread is float error. */
const SAME = 1e-12;

/** How many whole multiples of `step` lie in [low, high]. */
const multiples = (low: number, high: number, step: number) => Math.floor(high / step + 1e-9) - Math.ceil(low / step - 1e-9) + 1;

/** The 1-2-5 step below `step`: 5 below 10, 2 below 5, 1 below 2. */
function smallerStep(step: number): number {
  const power = 10 ** Math.floor(Math.log10(step) + 1e-9);
  const factor = Math.round(step / power);
  return factor === 1 ? power / 2 : factor === 2 ? power : 2 * power;
}

/**
 * The step between ticks of [min, max] (min < max), in the unit's scale, and that scale: the
 * smallest 1-2-5 step that puts at most MOST_TICKS ticks on the axis.
 */
function stepOf(min: number, max: number, unit: string | undefined, whole: boolean): { readonly step: number; readonly scale: Scale } {
  const scale = scaleFor(Math.max(Math.abs(min), Math.abs(max)), unit);
  const low = min / scale.divisor;
  const high = max / scale.divisor;
  // A byte, or a count of things, does not split: no tick at half of one.
  const least = (unit === 'bytes' || whole) && scale.divisor === 1 ? 1 : 0;
  let step = Math.max(niceStep((high - low) / (MOST_TICKS - 1)), least);
  for (let smaller = smallerStep(step); smaller >= least && multiples(low, high, smaller) <= MOST_TICKS; smaller = smallerStep(step))
    step = smaller;
  return { step, scale };
}

/**
 * The range the axis of a chart spans, from the smallest and largest value it draws (uPlot's
 * `range`; null or non-finite when there is none yet). A chart with no value, or whose every
 * value is 0, spans 0 to 1 of its unit (1 B, 1 s, 100 % of a ratio), not uPlot's 0 to 100; one
 * whose values are all the same spans 10 % of it either side (at least 1 when the values are
 * `whole`: an integer gauge). Otherwise it spans the values, a tenth of their spread more either
 * side, out to the ticks around them; it stays on its side of 0 when the values do.
 */
export function axisRange(min: number | null, max: number | null, unit: string | undefined, whole = false): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max) || max < min) return [0, 1];
  const magnitude = Math.max(Math.abs(min), Math.abs(max));
  // Zero, or as near it as a double goes.
  if (magnitude < TINY) return min < 0 ? [-1, max > 0 ? 1 : 0] : [0, 1];
  // The same value, or as near it as its float error.
  const same = max - min <= magnitude * SAME;
  const pad = same ? (whole ? Math.max(magnitude / 10, 1) : magnitude / 10) : (max - min) / 10;
  let low = min - pad;
  let high = max + pad;
  if (min >= 0 && low < 0) low = 0;
  if (max <= 0 && high > 0) high = 0;
  if (same) return [low, high];
  const { step, scale } = stepOf(low, high, unit, whole);
  const unitStep = step * scale.divisor;
  return [Math.floor(low / unitStep) * unitStep, Math.ceil(high / unitStep) * unitStep];
}

/**
 * Where the ticks of an axis spanning [min, max] go: whole multiples of a 1-2-5 step of the
 * unit's scale, a step of at least 1 for bytes and `whole` values (an integer gauge).
 */
export function axisTicks(min: number, max: number, unit: string | undefined, whole = false): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) return [];
  if (max - min <= Math.max(Math.abs(min), Math.abs(max)) * SAME || max - min < TINY) return [min];
  const { step, scale } = stepOf(min, max, unit, whole);
  const low = min / scale.divisor;
  const ticks: number[] = [];
  const first = Math.ceil(low / step - 1e-9);
  for (let index = first; index < first + multiples(low, max / scale.divisor, step); index++) ticks.push(index * step * scale.divisor);
  return ticks;
}

const plain = (text: string) => (/^-0(\.0*)?$/.test(text) ? text.slice(1) : text);

/**
 * How the ticks read, in the unit's scale for the largest of them, each with as many decimals as
 * the step between them needs (all with the same number), so that no two ticks read the same:
 * `4.0381 GiB`, `4.0382 GiB`, never `4.038 GiB` twice. Ticks that no number of decimals tells
 * apart (from outside axisTicks) are written with the 17 significant digits that do.
 */
export function tickLabels(ticks: readonly number[], unit: string | undefined): string[] {
  const finite = ticks.filter(Number.isFinite);
  if (finite.length === 0) return ticks.map(String);
  let scale = scaleFor(Math.max(...finite.map(Math.abs)), unit);
  // Ticks a scale would make one (1e-320 and 0 in millions; two neighbouring doubles of a ratio
  // times 100) are written as they are, in the unit itself (a ratio as a fraction).
  if (new Set(finite.map((tick) => tick / scale.divisor)).size !== new Set(finite).size)
    scale = { divisor: 1, suffix: unit === 'ratio' ? '' : scaleFor(0, unit).suffix };
  const scaled = ticks.map((tick) => tick / scale.divisor);
  const sorted = [...new Set(scaled.filter(Number.isFinite))].sort((a, b) => a - b);
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < sorted.length; i++) gap = Math.min(gap, sorted[i]! - sorted[i - 1]!);
  const distinct = (labels: readonly string[]) => new Set(labels).size === sorted.length;
  const write = (format: (value: number) => string) =>
    scaled.map((value) => (Number.isFinite(value) ? `${plain(format(value))}${scale.suffix}` : String(value)));
  // The fewest decimals that write every tick as it is (a tick of axisTicks is a multiple of a
  // step of 1, 2 or 5 × 10^k, so a few do), else the fewest that at least tell them apart.
  const from = Number.isFinite(gap) ? Math.min(20, Math.max(0, Math.floor(-Math.log10(gap)))) : 0;
  let firstDistinct: string[] | undefined;
  for (let decimals = from; decimals <= 20; decimals++) {
    const labels = write((value) => value.toFixed(decimals));
    if (!distinct(labels)) continue;
    firstDistinct ??= labels;
    const tolerance = (value: number) => Math.abs(value) * 1e-12 + (Number.isFinite(gap) ? gap * 1e-6 : 0);
    const exact = scaled.every((value) => !Number.isFinite(value) || Math.abs(Number(value.toFixed(decimals)) - value) <= tolerance(value));
    if (exact) return labels;
  }
  return firstDistinct ?? write((value) => value.toExponential(16));
}
