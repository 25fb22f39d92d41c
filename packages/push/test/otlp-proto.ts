// OTLP's request and answer messages from OpenTelemetry's own definitions (vendored in
// ./opentelemetry-proto), read by protobufjs: what the tests decode the OTLP encoder's bodies with.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const protos = fileURLToPath(new URL('./opentelemetry-proto/', import.meta.url));

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => `${protos}${target}`;
root.loadSync('opentelemetry/proto/collector/metrics/v1/metrics_service.proto');

export const ExportMetricsServiceRequest = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
export const ExportMetricsServiceResponse = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse');

/** OTLP/JSON's conventions: 64-bit integers as decimal strings, enums as integers, no default values. */
const JSON_MAPPING = { longs: String, enums: Number, defaults: false } as const;

/** A protobuf request as plain data, in OTLP/JSON's conventions. */
export function decodeRequest(bytes: Uint8Array): Record<string, unknown> {
  return ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(bytes), JSON_MAPPING);
}

/**
 * A JSON request read through the same definitions (protobufjs' `fromObject`, which takes OTLP/JSON's
 * lowerCamelCase keys and decimal strings) and written back in OTLP/JSON's conventions: an unknown
 * key is left out, a value of the wrong type mangled, so a body that equals its reading has every
 * key and value where the definitions put them.
 */
export function readJsonRequest(json: unknown): Record<string, unknown> {
  return ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.fromObject(json as Record<string, unknown>), JSON_MAPPING);
}

/** A Collector's answer to a batch of which it rejected `rejected` data points, in protobuf. */
export function partialSuccessBytes(rejected: number, errorMessage: string): Uint8Array {
  const message = ExportMetricsServiceResponse.fromObject({ partialSuccess: { rejectedDataPoints: rejected, errorMessage } });
  return ExportMetricsServiceResponse.encode(message).finish();
}

// google.rpc.Status (googleapis' google/rpc/status.proto), the body of an OTLP/HTTP failure, with the google.protobuf.Any it holds.
const rpc = new protobuf.Root();
protobuf.parse('syntax = "proto3"; package google.protobuf; message Any { string type_url = 1; bytes value = 2; }', rpc);
protobuf.parse(
  'syntax = "proto3"; package google.rpc; message Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }',
  rpc,
);
const status = rpc.lookupType('google.rpc.Status');

/** A failure's google.rpc.Status in protobuf (code 3: INVALID_ARGUMENT). */
export function statusBytes(message: string, code = 3): Uint8Array {
  return status
    .encode(status.fromObject({ code, message, details: [{ type_url: 'type.googleapis.com/google.rpc.BadRequest', value: [1, 2] }] }))
    .finish();
}
