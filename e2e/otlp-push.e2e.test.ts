// @runometer/push's OTLP on Node, Bun and Deno (e2e/otlp-push-child.js, configured by
// OpenTelemetry's standard variables), to a loopback receiver that answers as an OpenTelemetry
// Collector does (none is installable here), in protobuf and in JSON: the request decoded with
// the official definitions has every field the runtime measures, named, typed and unit as
// @runometer/otel gives it, with the meter's tag and the Resource of OTEL_SERVICE_NAME; a
// partial_success that rejects a data point is counted refused.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { otelField } from '@runometer/otel';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeRequest, partialSuccessBytes, readJsonRequest } from '../packages/push/test/otlp-proto.js';
import { startTarget, type Target } from '../packages/push/test/target.js';
import { catalogEntry } from '../tools/catalog.js';
import { launch, type Runtime } from '../tools/runtimes.js';
import { expectedKeys } from '../test/expected-fields.js';
import { buildPackages, knownRuntime } from '../test/runtimes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNTIMES: readonly Runtime[] = ['node', 'bun', 'deno'];
const TYPE = { gauge: 'gauge', updowncounter: 'sum', counter: 'sum', histogram: 'histogram' } as const;

let collector: Target;

beforeAll(async () => {
  await buildPackages();
  collector = await startTarget((request) =>
    request.headers['content-type'] === 'application/json'
      ? {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
          body: '{"partialSuccess":{"rejectedDataPoints":"1","errorMessage":"one too old"}}',
        }
      : { status: 200, headers: { 'Content-Type': 'application/x-protobuf' }, body: partialSuccessBytes(1, 'one too old') },
  );
}, 120_000);

afterAll(() => collector?.close());

/** Runs the child on `runtime` with `protocol`; resolves to its stats and the request it sent. */
async function pushFrom(runtime: Runtime, protocol: string) {
  const before = collector.received.length;
  const [command, ...args] = launch(runtime, `${root}e2e/otlp-push-child.js`);
  const env = {
    ...process.env,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.origin,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_EXPORTER_OTLP_HEADERS: `x-runtime=${runtime}`,
    OTEL_SERVICE_NAME: `otlp-${runtime}`,
  };
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(command, args, { cwd: root, env, timeout: 60_000 }, (error, out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
    ),
  );
  const requests = collector.received.slice(before);
  return { stats: JSON.parse(stdout) as Record<string, number>, requests };
}

type Message = {
  resourceMetrics: {
    resource: { attributes: { key: string; value: { stringValue: string } }[] };
    scopeMetrics: {
      scope: { name: string };
      metrics: (Record<string, { dataPoints: { attributes?: { key: string }[] }[]; isMonotonic?: boolean }> & {
        name: string;
        unit?: string;
      })[];
    }[];
  }[];
};

describe.each(RUNTIMES)('on %s', (runtime) => {
  test.each(['http/protobuf', 'http/json'])(
    '%s: every field the runtime measures, as @runometer/otel names it; a partial_success counted',
    async (protocol) => {
      const { stats, requests } = await pushFrom(runtime, protocol);
      expect(requests.map((request) => [request.url, request.headers['x-runtime'], request.gzipped])).toEqual([
        ['/v1/metrics', runtime, true],
      ]);
      const body = requests[0]!;
      const message = (protocol === 'http/json' ? JSON.parse(body.body) : decodeRequest(body.bytes)) as Message;
      if (protocol === 'http/json') expect(readJsonRequest(message)).toEqual(message);
      const [resourceMetrics] = message.resourceMetrics;
      expect(resourceMetrics!.resource.attributes).toEqual([{ key: 'service.name', value: { stringValue: `otlp-${runtime}` } }]);
      const [scope] = resourceMetrics!.scopeMetrics;
      expect(scope!.scope.name).toBe('@runometer/otel');
      const metrics = new Map(scope!.metrics.map((metric) => [metric.name, metric]));
      const { fields, series } = expectedKeys(knownRuntime(runtime));
      const wrong = [...fields, ...Object.values(series).flat()].flatMap((key) => {
        const field = otelField('otlp', catalogEntry(key));
        if (field === undefined) return [];
        const metric = metrics.get(field.name);
        const type = TYPE[field.instrument];
        const data = metric?.[type];
        const right =
          data !== undefined &&
          (metric!.unit ?? '') === field.unit &&
          (type !== 'sum' || (data.isMonotonic ?? false) === (field.instrument === 'counter')) &&
          data.dataPoints.every((point) => point.attributes?.some(({ key }) => key === 'app'));
        return right ? [] : [key];
      });
      expect(wrong).toEqual([]);
      const points = scope!.metrics.reduce(
        (total, metric) =>
          total + Object.values(metric).reduce((sum, data) => sum + ((data as { dataPoints?: unknown[] }).dataPoints?.length ?? 0), 0),
        0,
      );
      expect(stats).toEqual({
        sent: points - 1,
        dropped: 0,
        refused: 1,
        retries: 0,
        buffered: 0,
        lastError: `200 OK: one too old (partial_success) (1 of ${points} points refused, not sent again)`,
      });
    },
  );
});
