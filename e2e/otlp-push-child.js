// A meter of the four presets pushed once as OTLP/HTTP, configured by OpenTelemetry's standard
// variables (`fromOtelEnvironment`): what e2e/otlp-push.e2e.test.ts runs on Node, Bun and Deno.
// Prints the pusher's stats as JSON once it has closed. Plain JavaScript over the built packages.
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { Pusher, fromOtelEnvironment } from '@runometer/push';

const meter = new Runometer('otlp').addTag('app', 'otlp-push').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
// The event loop's delay needs a few samples before it has a value.
await new Promise((resolve) => setTimeout(resolve, 300));
const pusher = new Pusher(meter, { ...fromOtelEnvironment(), flushOnSignals: false, onError: (error) => console.error(error.message) });
// close() renders once and sends it: one request.
await pusher.close();
await meter.close();
console.log(JSON.stringify(pusher.stats));
