// Protocol Buffers' wire format, as far as a fixed set of messages written by hand needs it: the
// Prometheus exposition's MetricFamily and OTLP's ExportMetricsServiceRequest. Field numbers and
// types come from the message's .proto; the tests decode what this writes with the official ones.
// https://protobuf.dev/programming-guides/encoding/

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;

const encoder = new TextEncoder();
const TWO_32 = 2 ** 32;

/**
 * Writes one message, field by field, into a buffer that grows. A nested message (or a packed
 * repeated field) is opened with `open(field)` and closed with `close()`: its length, not known
 * until then, is written in front of it by moving its bytes once.
 */
export class ProtobufWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  private length = 0;
  private readonly opened: number[] = [];

  /** An unsigned integer (`uint32`, `uint64`, an enum, a `bool` as 0 or 1): a safe integer, 0 or more. */
  uint(field: number, value: number): this {
    this.key(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  /** A signed integer (`int32`, `int64`), negatives as ten bytes of two's complement. */
  int(field: number, value: number): this {
    this.key(field, WIRE_VARINT);
    if (value >= 0) this.varint(value);
    else this.negativeVarint(value);
    return this;
  }

  /** A `sint32` or `sint64`: ZigZag, so that small negatives stay short. */
  sint(field: number, value: number): this {
    this.key(field, WIRE_VARINT);
    this.zigzag(value);
    return this;
  }

  bool(field: number, value: boolean): this {
    return this.uint(field, value ? 1 : 0);
  }

  double(field: number, value: number): this {
    this.key(field, WIRE_FIXED64);
    this.rawDouble(value);
    return this;
  }

  /** A `fixed64` (OTLP's counts, and its times in nanoseconds since the epoch, past 2^53: a bigint). */
  fixed64(field: number, value: number | bigint): this {
    this.key(field, WIRE_FIXED64);
    this.rawFixed64(value);
    return this;
  }

  string(field: number, value: string): this {
    this.key(field, WIRE_LENGTH);
    const bytes = encoder.encode(value);
    this.varint(bytes.length);
    this.raw(bytes);
    return this;
  }

  /**
   * The key and length of field `field`, a nested message whose `length` bytes the caller writes
   * next: for a message whose size is known beforehand, which `open`/`close` would move once.
   */
  sized(field: number, length: number): this {
    this.key(field, WIRE_LENGTH);
    this.varint(length);
    return this;
  }

  /** Fields already encoded (another writer's `finish()`), written as they are: for parts that are the same at every write. */
  raw(bytes: Uint8Array): this {
    this.reserve(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /** Opens a nested message (or a packed repeated field) as field `field`, until the matching `close()`. */
  open(field: number): this {
    this.key(field, WIRE_LENGTH);
    this.opened.push(this.length);
    return this;
  }

  close(): this {
    const start = this.opened.pop();
    if (start === undefined) throw new Error('ProtobufWriter.close() without an open()');
    const size = this.length - start;
    const prefix = varintLength(size);
    this.reserve(prefix);
    this.bytes.copyWithin(start + prefix, start, this.length);
    this.length = start;
    this.varint(size);
    this.length = start + prefix + size;
    return this;
  }

  /** The elements of a packed repeated field of varints (between `open` and `close`). */
  packedUint(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.varint(values[i]!);
    return this;
  }

  packedSint(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.zigzag(values[i]!);
    return this;
  }

  packedDouble(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.rawDouble(values[i]!);
    return this;
  }

  packedFixed64(values: ArrayLike<number>): this {
    for (let i = 0; i < values.length; i++) this.rawFixed64(values[i]!);
    return this;
  }

  /** Writes a length-prefixed message, as the Prometheus exposition's "delimited" encoding puts each MetricFamily. */
  delimited(write: (writer: ProtobufWriter) => void): this {
    const start = this.length;
    this.opened.push(start);
    write(this);
    if (this.opened.at(-1) !== start) throw new Error('ProtobufWriter.delimited(): a field opened inside was not closed');
    return this.close();
  }

  /** The bytes written; the writer may be used again after `reset()`. */
  finish(): Uint8Array<ArrayBuffer> {
    if (this.opened.length > 0) throw new Error(`ProtobufWriter.finish() with ${this.opened.length} field(s) still open`);
    return this.bytes.slice(0, this.length);
  }

  reset(): this {
    this.length = 0;
    this.opened.length = 0;
    return this;
  }

  private key(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  private varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`protobuf varint must be a safe integer, 0 or more, got ${value}`);
    this.reserve(10);
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.bytes[this.length++] = rest;
  }

  private negativeVarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf varint must be a safe integer, got ${value}`);
    this.bigVarint(BigInt.asUintN(64, BigInt(value)));
  }

  private bigVarint(value: bigint): void {
    let rest = value;
    this.reserve(10);
    while (rest >= 0x80n) {
      this.bytes[this.length++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.bytes[this.length++] = Number(rest);
  }

  private zigzag(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf sint must be a safe integer, got ${value}`);
    if (Math.abs(value) < 2 ** 52) this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
    else this.bigVarint(value >= 0 ? BigInt(value) * 2n : BigInt(-value) * 2n - 1n);
  }

  private rawDouble(value: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, value, true);
    this.length += 8;
  }

  private rawFixed64(value: number | bigint): void {
    this.reserve(8);
    if (typeof value === 'bigint') {
      this.view.setBigUint64(this.length, BigInt.asUintN(64, value), true);
    } else {
      if (!Number.isSafeInteger(value) || value < 0)
        throw new RangeError(`protobuf fixed64 must be a safe integer, 0 or more, got ${value}`);
      this.view.setUint32(this.length, value % TWO_32, true);
      this.view.setUint32(this.length + 4, Math.floor(value / TWO_32), true);
    }
    this.length += 8;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}

function varintLength(value: number): number {
  let length = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) length++;
  return length;
}
