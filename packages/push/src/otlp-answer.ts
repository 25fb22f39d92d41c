// What an OTLP/HTTP receiver's answer says: a success's ExportMetricsServiceResponse (its
// `partial_success`), a failure's google.rpc.Status (its `message`), in the answer's encoding:
// protobuf, JSON, or a proxy's text.
import type { TargetAnswer } from './encoder.js';

export type OtlpEncoding = 'protobuf' | 'json';

/** How to read an answer: by its Content-Type; without one, as the request was written (OTLP answers in the request's encoding). */
function encodingOf(answer: TargetAnswer, requested: OtlpEncoding): OtlpEncoding | 'text' {
  const type = answer.contentType.toLowerCase();
  if (type.includes('json')) return 'json';
  if (type.includes('protobuf')) return 'protobuf';
  return type === '' ? requested : 'text';
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

/** The fields of one protobuf message: varints as numbers (exact to 2^53), length-delimited ones as bytes; others skipped. Throws if malformed. */
function fieldsOf(bytes: Uint8Array): Map<number, number | Uint8Array> {
  const fields = new Map<number, number | Uint8Array>();
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      if (at >= bytes.length || scale > 2 ** 63) throw new RangeError('truncated varint');
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    switch (key % 8) {
      case WIRE_VARINT:
        fields.set(field, varint());
        break;
      case WIRE_LENGTH: {
        const length = varint();
        if (at + length > bytes.length) throw new RangeError('truncated field');
        fields.set(field, bytes.subarray(at, at + length));
        at += length;
        break;
      }
      case WIRE_FIXED64:
        at += 8;
        break;
      case WIRE_FIXED32:
        at += 4;
        break;
      default:
        throw new RangeError(`wire type ${key % 8}`);
    }
  }
  if (at > bytes.length) throw new RangeError('truncated field');
  return fields;
}

const utf8 = new TextDecoder();
const textOf = (value: number | Uint8Array | undefined) => (value instanceof Uint8Array ? utf8.decode(value) : '');

function parsedJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON field under its lowerCamelCase name or its .proto name, as proto3's JSON parsers take either. */
const jsonField = (object: Record<string, unknown> | undefined, camel: string, proto: string): unknown =>
  object?.[camel] ?? object?.[proto];

export interface PartialSuccess {
  readonly rejected: number;
  readonly message: string;
}

/** ExportMetricsServiceResponse.partial_success (field 1: rejected_data_points 1, error_message 2); undefined where absent or unreadable. */
export function partialSuccessOf(answer: TargetAnswer, requested: OtlpEncoding): PartialSuccess | undefined {
  const encoding = encodingOf(answer, requested);
  if (encoding === 'json') {
    const partial = jsonField(parsedJson(answer.text), 'partialSuccess', 'partial_success') as Record<string, unknown> | undefined;
    if (typeof partial !== 'object' || partial === null) return undefined;
    const rejected = Number(jsonField(partial, 'rejectedDataPoints', 'rejected_data_points') ?? 0);
    const message = jsonField(partial, 'errorMessage', 'error_message');
    return { rejected: Number.isSafeInteger(rejected) ? rejected : 0, message: typeof message === 'string' ? message : '' };
  }
  if (encoding === 'protobuf') {
    try {
      const partial = fieldsOf(answer.bytes).get(1);
      if (!(partial instanceof Uint8Array)) return undefined;
      const fields = fieldsOf(partial);
      const rejected = fields.get(1);
      return { rejected: typeof rejected === 'number' ? rejected : 0, message: textOf(fields.get(2)) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The receiver's words in an answer: a google.rpc.Status's message (field 2) where it is one, else the answer's text. */
export function wordsOf(answer: TargetAnswer, requested: OtlpEncoding): string {
  const encoding = encodingOf(answer, requested);
  if (encoding === 'json') {
    const message = parsedJson(answer.text)?.['message'];
    if (typeof message === 'string') return message;
  } else if (encoding === 'protobuf') {
    try {
      const message = fieldsOf(answer.bytes).get(2);
      if (message instanceof Uint8Array) return utf8.decode(message);
    } catch {
      // Not a Status (an answer cut by the pusher's bound, a proxy's page): its text says what can be said.
    }
  }
  return answer.text;
}
