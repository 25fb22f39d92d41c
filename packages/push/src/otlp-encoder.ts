import type { SnapshotSource } from '@runometer/core';
import { histogramPoint, OtelMetrics, PresetUnits, PROCESS_START_NS, type Attributes } from '@runometer/otel/data';
import type { PushEncoder } from './encoder.js';
import { partialSuccessOf, wordsOf, type OtlpEncoding } from './otlp-answer.js';
import { otlpJson, otlpProtobuf, type OtlpPoint } from './otlp-request.js';

/** OTLP/HTTP's encodings, as `OTEL_EXPORTER_OTLP_PROTOCOL` names them. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface OtlpEncoderOptions {
  /** `http/protobuf` (the default, which every receiver takes) or `http/json`. */
  readonly protocol?: OtlpProtocol;
  /** The Resource's attributes (`service.name`…). Default none: the meter's tags are on every point already. */
  readonly resource?: Readonly<Record<string, string>>;
}

const ENCODINGS: Readonly<Record<OtlpProtocol, { readonly encoding: OtlpEncoding; readonly contentType: string }>> = {
  'http/protobuf': { encoding: 'protobuf', contentType: 'application/x-protobuf' },
  'http/json': { encoding: 'json', contentType: 'application/json' },
};

/** Why a protocol other than OTLP/HTTP's two is refused. */
export function unsupportedProtocol(what: string, protocol: unknown): string {
  const given = typeof protocol === 'string' ? JSON.stringify(protocol) : String(protocol);
  return protocol === 'grpc'
    ? `${what} is "grpc", which the pusher does not speak (fetch has no HTTP/2 trailers): give http/protobuf or http/json, and the receiver's OTLP/HTTP endpoint (port 4318)`
    : `${what} must be http/protobuf or http/json, got ${given}`;
}

function resourceOf(resource: unknown): Attributes {
  if (resource === undefined) return {};
  if (typeof resource !== 'object' || resource === null)
    throw new TypeError(`otlpEncoder option resource must be an object of strings, got ${typeof resource}`);
  for (const [key, value] of Object.entries(resource)) {
    if (typeof value !== 'string') throw new TypeError(`otlpEncoder option resource["${key}"] must be a string, got ${typeof value}`);
  }
  return { ...(resource as Attributes) };
}

/**
 * OTLP/HTTP metrics (an ExportMetricsServiceRequest) for an OpenTelemetry Collector, Grafana Alloy,
 * Mimir, Prometheus' or VictoriaMetrics' OTLP receiver, or a vendor: each data point is a point of
 * the pusher's buffer. The fields are named, typed and unit as `@runometer/otel`'s producer gives
 * them (`@runometer/otel/data`, one mapping), in its scope; every cumulative point starts when the
 * process started. A 200 whose `partial_success` rejects data points counts them refused, never
 * sent again; a 400's google.rpc.Status refuses the batch.
 */
export function otlpEncoder(options: OtlpEncoderOptions = {}): PushEncoder<OtlpPoint> {
  const protocol = options.protocol ?? 'http/protobuf';
  if (!Object.hasOwn(ENCODINGS, protocol)) throw new TypeError(unsupportedProtocol('otlpEncoder option protocol', protocol));
  const { encoding, contentType } = ENCODINGS[protocol];
  const resource = resourceOf(options.resource);
  const write = encoding === 'protobuf' ? otlpProtobuf : otlpJson;
  // What each source's fields become, worked out once (a pusher has one source; an encoder may serve several pushers).
  const metricsOf = new WeakMap<SnapshotSource, OtelMetrics>();
  return {
    contentType,
    points(snapshots, { source, report }) {
      let metrics = metricsOf.get(source);
      if (metrics === undefined) metricsOf.set(source, (metrics = new OtelMetrics(new PresetUnits(source))));
      const errors: Error[] = [];
      const found = metrics.collect(snapshots, errors);
      for (const error of errors) report(error);
      const points: OtlpPoint[] = [];
      for (const { field, points: otelPoints } of found.values()) {
        for (const { attributes, value, time } of otelPoints) {
          points.push({
            field,
            attributes,
            // The pusher stamps every snapshot.
            time: time ?? BigInt(Date.now()) * 1_000_000n,
            start: PROCESS_START_NS,
            value: typeof value === 'number' ? value : histogramPoint(field, value),
          });
        }
      }
      return points;
    },
    body: (batch) => write(batch, resource),
    refusal: (answer, batch) => ({ message: wordsOf(answer, encoding), count: batch.length, lines: [] }),
    partialRefusal(answer, batch) {
      const partial = partialSuccessOf(answer, encoding);
      if (partial === undefined || partial.rejected <= 0) return undefined;
      const message = partial.message === '' ? 'partial_success without an error_message' : partial.message;
      return { message: `${message} (partial_success)`, count: Math.min(partial.rejected, batch.length), lines: [] };
    },
    describe: (answer) => wordsOf(answer, encoding),
  };
}
