export { OtherPreset } from './other-preset.js';
export { ProcessProbe, type ResourceUsage } from './process-probe.js';
export { ProcessMonitor, WINDOW_SECONDS } from './process-monitor.js';
export { GC_KINDS, type GcKind, type GcTotals } from './gc-counter.js';
