// A meter of the four presets registered as observable instruments on the global MeterProvider,
// which Deno's built-in OpenTelemetry sets (`OTEL_DENO=true`) and exports over OTLP: what
// e2e/otel-deno.e2e.test.ts receives. Run on Deno over the packages' sources (the root deno.json),
// so that @runometer/otel's `@opentelemetry/api` is its deno.json's `npm:@opentelemetry/api`.
// Usage: OTEL_DENO=true deno run --allow-all --config deno.json e2e/otel-deno-instruments.ts MEASUREMENT
import { Runometer } from '@runometer/core';
import { registerInstruments } from '@runometer/otel';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';

const [measurement] = process.argv.slice(2);
if (!measurement) throw new Error(`usage: otel-deno-instruments.ts MEASUREMENT (got ${JSON.stringify(process.argv.slice(2))})`);

const meter = new Runometer(measurement).addTag('app', 'otel').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
await registerInstruments(meter);
console.log('registered');
// Deno's export loop does not keep the process alive: this does, until the test stops it.
setInterval(() => {}, 1000);
