// A meter of the four presets in OpenTelemetry's own Prometheus exporter, through @runometer/otel's
// producer: what e2e/otel-prometheus.e2e.test.ts scrapes. Plain JavaScript over the built
// packages, so that Node, Bun and Deno run the same file.
// Usage: <runtime> e2e/otel-exporter.js PORT MEASUREMENT
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { Runometer } from '@runometer/core';
import { runometerProducer } from '@runometer/otel/producer';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';

const [port, measurement] = process.argv.slice(2);
if (!/^\d+$/.test(port ?? '') || !measurement) {
  throw new Error(`usage: otel-exporter.js PORT MEASUREMENT (got ${JSON.stringify(process.argv.slice(2))})`);
}

const meter = new Runometer(measurement).addTag('app', 'otel').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
const exporter = new PrometheusExporter({ host: '127.0.0.1', port: Number(port), metricProducers: [runometerProducer(meter)] });
const provider = new MeterProvider({ readers: [exporter] });
// The exporter's server does not keep the process alive (it is unref'd): this does, until a signal.
const alive = setInterval(() => {}, 60_000);

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.once(signal, async () => {
    clearInterval(alive);
    await provider.shutdown();
    await meter.close();
    process.exit(0);
  });
}
