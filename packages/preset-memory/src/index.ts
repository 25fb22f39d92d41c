export { MemoryPreset } from './memory-preset.js';
export { MemoryProbe, SLOW_READ_INTERVAL_MS, type MemoryUsage } from './memory-probe.js';
export type { ProcMemory } from './proc-statm.js';
