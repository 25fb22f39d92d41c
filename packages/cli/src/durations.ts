import { UsageError } from './usage-error.js';

// Go's time.ParseDuration, which Telegraf's config reads (`10s`, `1m30s`, `500ms`, `1.5h`).
const GO_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const GO_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

// Prometheus's model.ParseDuration: units in this order, each at most once, integers only (`15s`, `1m30s`).
const PROMETHEUS_UNITS: readonly [string, number][] = [
  ['y', 365 * 86_400_000],
  ['w', 7 * 86_400_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];
const PROMETHEUS_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Milliseconds in a duration Telegraf reads; a UsageError naming the option otherwise (zero included). */
export function telegrafDuration(option: string, text: string): number {
  let total = 0;
  GO_PART.lastIndex = 0;
  while (GO_PART.lastIndex < text.length) {
    const match = GO_PART.exec(text);
    if (match === null) break;
    total += Number(match[1]) * GO_UNITS[match[2]!]!;
  }
  if (text === '' || GO_PART.lastIndex !== text.length || !(total > 0)) {
    throw new UsageError(
      `${option} "${text}" is not a duration Telegraf reads: a positive number and a unit (ns, us, ms, s, m, h), e.g. 10s or 1m30s`,
    );
  }
  return total;
}

/** Milliseconds in a duration Prometheus reads; a UsageError naming the option otherwise (zero included). */
export function prometheusDuration(option: string, text: string): number {
  const match = PROMETHEUS_DURATION.exec(text);
  const total = match === null ? 0 : PROMETHEUS_UNITS.reduce((sum, [, ms], i) => sum + Number(match[i + 1] ?? 0) * ms, 0);
  if (text === '' || !(total > 0)) {
    throw new UsageError(
      `${option} "${text}" is not a duration Prometheus reads: whole numbers with units in the order y, w, d, h, m, s, ms, e.g. 15s or 1m30s`,
    );
  }
  return total;
}
