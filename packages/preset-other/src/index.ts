export { OtherPreset } from './other-preset.js';
export { ProcessProbe, type ResourceUsage } from './process-probe.js';
export { ProcessMonitor, WINDOW_SECONDS } from './process-monitor.js';
export { GC_KINDS, GC_DURATION_BUCKETS, type GcKind } from './gc-counter.js';
