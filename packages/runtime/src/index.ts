export { CAPABILITIES, type Capability } from './capabilities.js';
export { KNOWN_RUNTIMES, type KnownRuntime } from './known-runtimes.js';
export { GRANTS, measuredOn, type KnownRuntimeName, type Measurement } from './measured-on.js';
