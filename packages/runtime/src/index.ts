export { CAPABILITIES, type Capability } from './capabilities.js';
export { KNOWN_RUNTIMES, type KnownRuntime } from './known-runtimes.js';
