export { OtherPreset } from './other-preset.js';
export { ProcessProbe, type ResourceUsage } from './process-probe.js';
export { ProcessMonitor, WINDOW_SECONDS, GC_KINDS, type GcKind, type GcTotals, type GcRecord } from './process-monitor.js';
