import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { otelField, type OtelField } from '@runometer/otel';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { catalogEntry } from '../tools/catalog.js';
import { launch } from '../tools/runtimes.js';
import { expectedKeys } from '../test/expected-fields.js';

// Deno's built-in OpenTelemetry (OTEL_DENO=true) exporting @runometer/otel's observable instruments,
// registered through npm:@opentelemetry/api with no SDK in the app, to an OTLP/HTTP receiver on
// loopback that this test runs: what arrives is decoded from OTLP's JSON encoding (Deno sends it on
// OTEL_EXPORTER_OTLP_PROTOCOL=http/json), and holds the presets' runtime metrics that Deno's own
// metrics lack.

const root = fileURLToPath(new URL('..', import.meta.url));
const MEASUREMENT = 'otel';

/** The parts of an OTLP/JSON ExportMetricsServiceRequest this test reads (opentelemetry-proto's metrics.proto, JSON-mapped). */
interface KeyValue {
  key: string;
  value: { stringValue?: string };
}
interface NumberDataPoint {
  attributes?: KeyValue[];
  asDouble?: number;
  asInt?: string;
  startTimeUnixNano?: string;
  timeUnixNano?: string;
}
interface Metric {
  name: string;
  unit?: string;
  gauge?: { dataPoints: NumberDataPoint[] };
  sum?: { dataPoints: NumberDataPoint[]; aggregationTemporality: number; isMonotonic?: boolean };
  histogram?: unknown;
}
interface ExportMetricsServiceRequest {
  resourceMetrics: { scopeMetrics: { scope: { name: string; version?: string }; metrics: Metric[] }[] }[];
}

/** AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE in metrics.proto. */
const CUMULATIVE = 2;

const requests: { contentType: string | undefined; body: ExportMetricsServiceRequest }[] = [];
let receiver: Server;
let deno: ChildProcess;
let denoLog = '';

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const text = (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      if (request.url === '/v1/metrics') requests.push({ contentType: request.headers['content-type'], body: JSON.parse(text) });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as { port: number };
  const [command, ...args] = launch('deno', join(root, 'e2e/otel-deno-instruments.ts'), { packages: 'sources' });
  deno = spawn(command, [...args, MEASUREMENT], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      OTEL_DENO: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      OTEL_SERVICE_NAME: 'runometer-e2e',
    },
  });
  deno.stdout!.on('data', (chunk: Buffer) => (denoLog = (denoLog + chunk.toString()).slice(-4000)));
  deno.stderr!.on('data', (chunk: Buffer) => (denoLog = (denoLog + chunk.toString()).slice(-4000)));
  // The event loop's delay has a value once the preset has sampled it: a few exports in.
  const deadline = Date.now() + 30_000;
  const missing = () => [...expectedOnDeno().keys()].filter((name) => !arrived().has(name));
  while (missing().length > 0) {
    if (deno.exitCode !== null) throw new Error(`deno exited with code ${deno.exitCode}:\n${denoLog}`);
    if (Date.now() > deadline) throw new Error(`${missing().join(', ')} did not reach the receiver within 30 s:\n${denoLog}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 60_000);

afterAll(async () => {
  deno?.kill('SIGTERM');
  await new Promise((resolve) => receiver?.close(resolve));
});

/** The metrics of the fields Deno surely measures, by name: histograms have no instrument. */
function expectedOnDeno(): Map<string, OtelField> {
  const { fields, series } = expectedKeys('deno');
  return new Map(
    [...fields, ...Object.values(series).flat()].flatMap((key) => {
      const field = otelField(MEASUREMENT, catalogEntry(key));
      return field === undefined || field.instrument === 'histogram' ? [] : [[field.name, field] as const];
    }),
  );
}

const scopes = (body: ExportMetricsServiceRequest) => body.resourceMetrics.flatMap(({ scopeMetrics }) => scopeMetrics);
const ours = (body: ExportMetricsServiceRequest) => scopes(body).filter(({ scope }) => scope.name === '@runometer/otel');
/** Every metric of the scope @runometer/otel received, by name: the latest of each. */
const arrived = () =>
  new Map(requests.flatMap(({ body }) => ours(body).flatMap(({ metrics }) => metrics.map((metric) => [metric.name, metric] as const))));
const attributes = (point: NumberDataPoint) =>
  Object.fromEntries((point.attributes ?? []).map(({ key, value }) => [key, value.stringValue]));

test('Deno sends OTLP/JSON, with the scope @runometer/otel beside its own', () => {
  expect(new Set(requests.map(({ contentType }) => contentType))).toEqual(new Set(['application/json']));
  const body = requests.find(({ body }) => ours(body).length > 0)!.body;
  const { version } = JSON.parse(readFileSync(join(root, 'packages/otel/package.json'), 'utf8')) as { version: string };
  expect(ours(body).map(({ scope }) => ({ name: scope.name, version: scope.version }))).toEqual([{ name: '@runometer/otel', version }]);
});

test("every field Deno measures arrives under its OpenTelemetry name, unit and instrument, with the meter's tag; histograms are absent", () => {
  const expected = expectedOnDeno();
  const metrics = arrived();
  const shape = (metric: Metric | undefined) =>
    metric?.gauge !== undefined
      ? 'gauge'
      : metric?.sum !== undefined && metric.sum.aggregationTemporality === CUMULATIVE
        ? metric.sum.isMonotonic
          ? 'counter'
          : 'updowncounter'
        : 'other';
  expect(
    [...expected.values()]
      .filter((field) => shape(metrics.get(field.name)) !== field.instrument || (metrics.get(field.name)?.unit ?? '') !== field.unit)
      .map((field) => field.name),
  ).toEqual([]);
  const points = [...metrics.values()].flatMap((metric) => metric.gauge?.dataPoints ?? metric.sum?.dataPoints ?? []);
  expect(points.filter((point) => attributes(point)['app'] !== 'otel')).toEqual([]);
  expect([...metrics.values()].filter((metric) => metric.histogram !== undefined)).toEqual([]);
});

test("the runtime metrics arrive that Deno's own OpenTelemetry lacks: none of ours is a name Deno exports itself", () => {
  const everyBody = requests.map(({ body }) => body);
  const own = new Set(
    everyBody.flatMap((body) =>
      scopes(body)
        .filter(({ scope }) => scope.name !== '@runometer/otel')
        .flatMap(({ metrics }) => metrics.map(({ name }) => name)),
    ),
  );
  const runometer = new Set(everyBody.flatMap((body) => ours(body).flatMap(({ metrics }) => metrics.map(({ name }) => name))));
  // Deno 2.9.6 sends V8's heap spaces and GC of its own (v8js.memory.heap.size, v8js.gc.duration…).
  expect(own.size).toBeGreaterThan(0);
  expect([...runometer].filter((name) => own.has(name))).toEqual([]);
  const semantic = [...expectedOnDeno().values()].filter((field) => field.semantic).map((field) => field.name);
  expect(semantic.length).toBeGreaterThan(5);
  expect(semantic.filter((name) => !runometer.has(name))).toEqual([]);
});
