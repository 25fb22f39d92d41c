// What the pusher's OTLP costs against its line protocol, on the runtime that runs this file
// (`node`, `bun`, `deno run -A`): one render of the four presets, as the pusher encodes it (a
// collected render turned into points and one request's body), line protocol and OTLP in
// protobuf and JSON; each body's bytes, raw and gzipped. Medians over interleaved rounds (measure.js).
import { Runometer, snapshotsOf } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { lineProtocolEncoder, otlpEncoder } from '@runometer/push';
import { gzipSync } from 'node:zlib';
import { compare, runtimeName } from './measure.js';

const meter = new Runometer('bench').addTag('app', 'api').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
// The event loop's delay has a value after a few samples.
await new Promise((resolve) => setTimeout(resolve, 500));
const stamp = BigInt(Date.now()) * 1_000_000n;
const snapshots = snapshotsOf(await meter.collect()).map((snapshot) => ({ ...snapshot, timestamp: stamp }));
const render = { source: meter, report: (/** @type {Error} */ problem) => console.error(problem.message) };

const encoders = {
  'line protocol': lineProtocolEncoder,
  'OTLP protobuf': otlpEncoder(),
  'OTLP JSON': otlpEncoder({ protocol: 'http/json' }),
};
/** @param {import('@runometer/push').PushEncoder} encoder */
const encode = (encoder) => encoder.body(encoder.points(snapshots, render));

const names = /** @type {(keyof typeof encoders)[]} */ (Object.keys(encoders));
const timings = await compare(Object.fromEntries(names.map((name) => [name, () => encode(encoders[name])])), { rounds: 11, batchMs: 20 });
const figures = names.map((name) => {
  const encoder = encoders[name];
  const body = encode(encoder);
  const points = encoder.points(snapshots, render).length;
  const { median, ratioToFirst } = /** @type {{ median: number, ratioToFirst: number }} */ (timings[name]);
  return `${name} ${points} points, ${body.byteLength} bytes (${gzipSync(body).byteLength} gzipped), ${median.toFixed(1)} µs (${ratioToFirst.toFixed(2)}×)`;
});
console.log(`${runtimeName()}: one render of the four presets encoded for a push: ${figures.join('; ')}`);
await meter.close();
