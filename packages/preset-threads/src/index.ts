export { ThreadsPreset } from './threads-preset.js';
export {
  EventLoopMonitor,
  WINDOW_SECONDS,
  DELAY_BUCKETS,
  DELAY_NATIVE,
  SAMPLE_INTERVAL_MS,
  IDLE_SAMPLE_INTERVAL_MS,
  LATE_TURN_MS,
  BUSY_CPU_SHARE,
  type LoopTime,
  type LoopClock,
} from './event-loop-monitor.js';
export { ThreadsProbe } from './threads-probe.js';
export type { DelayStats } from './delay-histogram.js';
