// The OTLP encoder through a pusher, to a loopback target that answers as the receivers'
// documentation says they do (none of them is installable here): Prometheus' OTLP receiver,
// VictoriaMetrics' (protobuf only) and an OpenTelemetry Collector (partial_success, Status).
import { container, Runometer } from '@runometer/core';
import { afterEach, describe, expect, test } from 'vitest';
import { startTarget, type Answer, type Received, type Target } from '../test/target.js';
import { decodeRequest, partialSuccessBytes, readJsonRequest, statusBytes } from '../test/otlp-proto.js';
import { fromOtelEnvironment } from './otel-environment.js';
import { otlpEncoder, type OtlpEncoderOptions } from './otlp-encoder.js';
import type { PusherOptions } from './options.js';
import { PushHealth } from './push-health.js';
import type { PushError } from './push-error.js';
import { Pusher } from './pusher.js';

const targets: Target[] = [];
const pushers: Pusher[] = [];

afterEach(async () => {
  await Promise.all(pushers.splice(0).map((pusher) => pusher.close()));
  await Promise.all(targets.splice(0).map((target) => target.close()));
});

async function receiver(answer: (request: Received, index: number) => Answer): Promise<Target> {
  const started = await startTarget(answer);
  targets.push(started);
  return started;
}

/** A pusher of a meter with three fields (three data points a render) that keeps its errors. */
function otlpPusher(options: Partial<PusherOptions> & Pick<PusherOptions, 'url'>, encoder: OtlpEncoderOptions = {}) {
  const errors: PushError[] = [];
  let renders = 0;
  const meter = new Runometer('job')
    .addTag('app', 'nightly')
    .addField('renders_total', () => ++renders, { type: 'integer', kind: 'counter' })
    .addField('ratio', () => 0.5)
    .addField('label', () => 'x'.repeat(1500), { type: 'string' })
    .addField('rss_bytes', () => 4096, { type: 'integer' });
  const child = container.createChildContainer();
  child.registerSingleton(PushHealth);
  const pusher = new Pusher(meter, {
    encoder: otlpEncoder(encoder),
    interval: 60_000,
    flushOnSignals: false,
    minRetryDelay: 5,
    maxRetryDelay: 20,
    onError: (error) => errors.push(error),
    container: child,
    ...options,
  });
  pushers.push(pusher);
  return { pusher, errors };
}

type Metrics = { resourceMetrics: { scopeMetrics: { metrics: { name: string }[] }[] }[] };
const names = (message: unknown) => (message as Metrics).resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((metric) => metric.name);

describe("Prometheus' OTLP receiver (/api/v1/otlp/v1/metrics: protobuf and JSON, an empty 200)", () => {
  test('protobuf: the request it decodes, every data point counted sent', async () => {
    const prometheus = await receiver(() => ({ status: 200 }));
    const { pusher, errors } = otlpPusher({ url: `${prometheus.origin}/api/v1/otlp/v1/metrics` });
    await pusher.flush();
    const [request] = prometheus.received;
    expect([request!.url, request!.headers['content-type'], request!.gzipped]).toEqual([
      '/api/v1/otlp/v1/metrics',
      'application/x-protobuf',
      false,
    ]);
    expect(names(decodeRequest(request!.bytes))).toEqual(['job.renders_total', 'job.ratio', 'process.memory.usage']);
    expect([pusher.stats, errors]).toEqual([{ sent: 3, dropped: 0, refused: 0, retries: 0, buffered: 0 }, []]);
  });

  test('JSON, gzipped past the threshold: the same message', async () => {
    const prometheus = await receiver(() => ({ status: 200 }));
    const { pusher } = otlpPusher({ url: `${prometheus.origin}/api/v1/otlp/v1/metrics`, gzipThreshold: 100 }, { protocol: 'http/json' });
    await pusher.flush();
    const [request] = prometheus.received;
    expect([request!.headers['content-type'], request!.headers['content-encoding'], request!.gzipped]).toEqual([
      'application/json',
      'gzip',
      true,
    ]);
    const json: unknown = JSON.parse(request!.body);
    expect(readJsonRequest(json)).toEqual(json);
    expect(names(json)).toEqual(['job.renders_total', 'job.ratio', 'process.memory.usage']);
    expect(pusher.stats.sent).toBe(3);
  });
});

describe("VictoriaMetrics' OTLP receiver (/opentelemetry/v1/metrics: protobuf only)", () => {
  /** As VictoriaMetrics answers: JSON refused with 400 and its words in text, protobuf taken with an empty 200. */
  const victoria = () =>
    receiver((request) =>
      request.headers['content-type'] === 'application/json'
        ? {
            status: 400,
            headers: { 'Content-Type': 'text/plain; charset=utf-8' },
            body: `remoteAddr: "127.0.0.1"; requestURI: ${request.url}; json encoding isn't supported for opentelemetry format. Use protobuf encoding\n`,
          }
        : { status: 200 },
    );

  test('protobuf is taken', async () => {
    const vm = await victoria();
    const { pusher } = otlpPusher({ url: `${vm.origin}/opentelemetry/v1/metrics` });
    await pusher.flush();
    expect(pusher.stats).toEqual({ sent: 3, dropped: 0, refused: 0, retries: 0, buffered: 0 });
  });

  test('JSON is refused with a 400: the batch counted refused, not sent again, in its words', async () => {
    const vm = await victoria();
    const { pusher, errors } = otlpPusher({ url: `${vm.origin}/opentelemetry/v1/metrics` }, { protocol: 'http/json' });
    await pusher.flush();
    expect(vm.received).toHaveLength(1);
    expect(pusher.stats).toMatchObject({ sent: 0, refused: 3, retries: 0, buffered: 0 });
    expect(errors.map((error) => [error.failure, error.message])).toEqual([
      [
        'refused',
        '400 Bad Request: remoteAddr: "127.0.0.1"; requestURI: /opentelemetry/v1/metrics; json encoding isn\'t supported for opentelemetry format. Use protobuf encoding\n (3 of 3 points refused, not sent again)',
      ],
    ]);
  });
});

describe('an OpenTelemetry Collector (/v1/metrics: partial_success, google.rpc.Status)', () => {
  test('a 200 whose partial_success rejects 2 data points: 2 refused, the rest sent, nothing sent again', async () => {
    const collector = await receiver(() => ({
      status: 200,
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: partialSuccessBytes(2, 'data refused due to high memory usage'),
    }));
    const { pusher, errors } = otlpPusher({ url: `${collector.origin}/v1/metrics` });
    await pusher.flush();
    await pusher.flush();
    expect(collector.received).toHaveLength(2);
    expect(pusher.stats).toMatchObject({ sent: 2, refused: 4, retries: 0, buffered: 0 });
    expect(errors.map((error) => [error.failure, error.status, error.refusedCount, error.message])).toEqual(
      Array(2).fill([
        'refused',
        200,
        2,
        '200 OK: data refused due to high memory usage (partial_success) (2 of 3 points refused, not sent again)',
      ]),
    );
  });

  test('a 503 with a Status: retried, the Status message in the error; then a 200 in JSON that rejects nothing', async () => {
    const collector = await receiver((_, index) =>
      index === 0
        ? { status: 503, headers: { 'Content-Type': 'application/json' }, body: '{"code":14,"message":"sending queue is full"}' }
        : { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"partialSuccess":{}}' },
    );
    const { pusher, errors } = otlpPusher({ url: `${collector.origin}/v1/metrics` }, { protocol: 'http/json' });
    await pusher.flush();
    expect(collector.received).toHaveLength(2);
    expect(collector.received[1]!.body).toBe(collector.received[0]!.body);
    expect(pusher.stats).toMatchObject({ sent: 3, refused: 0, retries: 1, buffered: 0 });
    expect(errors.map((error) => [error.failure, error.retried, error.message])).toEqual([
      ['status', true, '503 Service Unavailable: sending queue is full'],
    ]);
  });

  test('a 400 with a Status in protobuf: the batch refused in its words', async () => {
    const collector = await receiver(() => ({
      status: 400,
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: statusBytes('unknown metric type'),
    }));
    const { pusher, errors } = otlpPusher({ url: `${collector.origin}/v1/metrics` });
    await pusher.flush();
    expect(pusher.stats).toMatchObject({ sent: 0, refused: 3 });
    expect(errors.map((error) => error.message)).toEqual(['400 Bad Request: unknown metric type (3 of 3 points refused, not sent again)']);
  });
});

describe('fromOtelEnvironment, pushed', () => {
  test("the endpoint with /v1/metrics, the headers, the protocol and the service's Resource from the variables", async () => {
    const collector = await receiver(() => ({ status: 200 }));
    const { pusher } = otlpPusher(
      fromOtelEnvironment({
        OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.origin}/otlp`,
        OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20dXNlcjpwYXNz,X-Scope-OrgID=tenant-1',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'nightly-export',
        OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=batch,service.name=ignored',
      }),
    );
    await pusher.flush();
    const [request] = collector.received;
    expect([request!.url, request!.headers['authorization'], request!.headers['x-scope-orgid'], request!.headers['content-type']]).toEqual([
      '/otlp/v1/metrics',
      'Basic dXNlcjpwYXNz',
      'tenant-1',
      'application/json',
    ]);
    expect(JSON.parse(request!.body).resourceMetrics[0].resource).toEqual({
      attributes: [
        { key: 'service.namespace', value: { stringValue: 'batch' } },
        { key: 'service.name', value: { stringValue: 'nightly-export' } },
      ],
    });
  });
});
