// The fleet's pushing process: the demo's meter (the four presets) and PushPreset, tagged with its
// `instance`, pushed every INTERVAL_MS by two Pushers of @runometer/push, to InfluxDB 1.x (database
// DATABASE) and to VictoriaMetrics' /write. It serves nothing.
// Usage: node e2e/fleet-push.js MEASUREMENT APP INSTANCE INTERVAL_MS INFLUXDB_URL DATABASE VICTORIA_METRICS_URL
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { Pusher, PushPreset } from '@runometer/push';

const [measurement, app, instance, interval, influxdb, database, victoriaMetrics] = process.argv.slice(2);
if (!measurement || !app || !instance || !/^\d+$/.test(interval ?? '') || !influxdb || !database || !victoriaMetrics) {
  throw new Error(
    `usage: fleet-push.js MEASUREMENT APP INSTANCE INTERVAL_MS INFLUXDB_URL DATABASE VICTORIA_METRICS_URL (got ${JSON.stringify(process.argv.slice(2))})`,
  );
}

const meter = new Runometer(measurement)
  .addTag('app', app)
  .addTag('instance', instance)
  .use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset, PushPreset);
for (const options of [{ url: influxdb, database }, { url: `${victoriaMetrics}/write` }]) {
  new Pusher(meter, { ...options, interval: Number(interval) }).start();
}
// The job's work, which keeps the process alive (a pusher's timer does not); SIGTERM makes both
// pushers flush (flushOnSignals), then ends the process.
let work = 0;
setInterval(() => {
  work = (work + JSON.stringify({ at: Date.now() }).length) % 1e9;
}, 100);
