// `@runometer/runtime/testing`: for a preset's tests, the runtime it runs on, faked.
export { fakeRuntime, type FakeRuntime } from './fake-runtime.js';
