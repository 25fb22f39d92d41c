export { CAPABILITIES, type Capability } from './capabilities.js';
export { has, markOffered, detectCapabilities, gcCostMicroseconds, v8GcProfiler, type InstantCapability } from './detect.js';
export type { GcProfilerLike, GcRecord } from './detect/gc-profiler.js';
export { detectRuntime, type RuntimeInfo, type RuntimeName } from './runtime-info.js';
export { activeResourcesByType, countByType } from './active-resources-by-type.js';
export { permissionDeniedBy, readingOrDenied } from './permissions.js';
export { nativeStatSync } from './native-stat.js';
export { KNOWN_RUNTIMES, type KnownRuntime } from './known-runtimes.js';
export { GRANTS, knownRuntimeOf, measuredOn, type KnownRuntimeName, type Measurement } from './measured-on.js';
