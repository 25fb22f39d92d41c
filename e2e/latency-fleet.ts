// The fleet of the latency e2e tests (latency-truth, native-histogram-dashboards): three instances
// of app "checkout", one per profile of e2e/latency-profiles.js, and the truth their requests make.
import { worstQuantileError } from '@runometer/core/format';
import { REQUEST_DURATION } from '../dashboards/slo.js';
import { FOUR_PRESETS, type ServedSpec } from './fleet.js';
import { nearestRank, PROFILES } from './latency-profiles.js';

export const PROFILE_NAMES = Object.keys(PROFILES);

export const LATENCY_FLEET: ServedSpec[] = PROFILE_NAMES.map((profile) => ({
  name: profile,
  runtime: 'node',
  script: 'e2e/latency-instance.js',
  presets: [...FOUR_PRESETS, REQUEST_DURATION.preset],
  app: 'checkout',
  args: [profile],
}));

/** The truth: every instance ends the same requests per batch and as many batches, so the fleet's requests are their batches pooled. */
export const seconds = (profile: string) => PROFILES[profile]!.map(({ ms }) => ms / 1000);
export const POOLED = PROFILE_NAMES.flatMap(seconds);
export const TRUE_P99 = nearestRank(POOLED, 0.99);
const requests = PROFILE_NAMES.flatMap((profile) => PROFILES[profile]!);
export const TRUE_ERROR_RATIO = requests.filter(({ status }) => status >= 500).length / requests.length;

export const BOUNDS = REQUEST_DURATION.buckets!;
/** The bucket `(lower, upper]` of the layout a duration falls in. */
export function bucketOf(duration: number): [number, number] {
  const index = BOUNDS.findIndex((bound) => duration <= bound);
  return [index <= 0 ? 0 : BOUNDS[index - 1]!, BOUNDS[index]!];
}
/** The layout's stated error: a quantile read from its buckets is within this share of the true value. */
export const STATED_ERROR = worstQuantileError(BOUNDS);
