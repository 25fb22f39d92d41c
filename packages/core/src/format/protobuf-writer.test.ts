import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './protobuf-writer.js';

// Read back by protobufjs from a schema, not by a reader of ours: what it decodes is what any
// implementation of the wire format would.
const { root } = protobuf.parse(`
  syntax = "proto3";
  message Inner { sint32 offset = 1; uint32 length = 2; }
  message Sample {
    uint64 big = 1;
    int64 negative = 2;
    sint64 zigzag = 3;
    bool flag = 4;
    double ratio = 5;
    fixed64 nanos = 6;
    string name = 7;
    repeated Inner spans = 8;
    repeated sint64 deltas = 9;
    repeated double bounds = 10;
    repeated fixed64 counts = 11;
    repeated uint64 plain = 12;
    Inner single = 13;
  }
`);
const Sample = root.lookupType('Sample');

function decode(bytes: Uint8Array): Record<string, unknown> {
  return Sample.toObject(Sample.decode(bytes), { longs: String, defaults: false });
}

describe('ProtobufWriter', () => {
  it('writes every scalar kind as protobufjs reads it', () => {
    const bytes = new ProtobufWriter()
      .uint(1, Number.MAX_SAFE_INTEGER)
      .int(2, -3)
      .sint(3, -Number.MAX_SAFE_INTEGER)
      .bool(4, true)
      .double(5, -0.125)
      .fixed64(6, 1_765_000_000_123_456_789n)
      .string(7, 'héllo ☃')
      .finish();
    expect(decode(bytes)).toEqual({
      big: '9007199254740991',
      negative: '-3',
      zigzag: '-9007199254740991',
      flag: true,
      ratio: -0.125,
      nanos: '1765000000123456789',
      name: 'héllo ☃',
    });
  });

  it('writes nested messages and packed repeated fields, lengths in front', () => {
    const writer = new ProtobufWriter();
    writer.open(8).sint(1, -2).uint(2, 3).close();
    writer.open(8).sint(1, 1).uint(2, 200).close();
    writer.open(9).packedSint([1, -1, 0, 70_000]).close();
    writer.open(10).packedDouble([0.005, 1, 2.5]).close();
    writer
      .open(11)
      .packedFixed64([0, 1, 2 ** 40])
      .close();
    writer.open(12).packedUint([0, 127, 128, 16_384]).close();
    writer.open(13).close();
    expect(decode(writer.finish())).toEqual({
      spans: [
        { offset: -2, length: 3 },
        { offset: 1, length: 200 },
      ],
      deltas: ['1', '-1', '0', '70000'],
      bounds: [0.005, 1, 2.5],
      counts: ['0', '1', '1099511627776'],
      plain: ['0', '127', '128', '16384'],
      single: {},
    });
  });

  it('writes a nested message longer than 127 bytes, whose length takes two bytes, and grows past its first buffer', () => {
    const long = 'x'.repeat(300);
    const writer = new ProtobufWriter();
    writer.open(13).string(3, long).close().string(7, 'after');
    const bytes = writer.finish();
    expect(Sample.toObject(Sample.decode(bytes))).toMatchObject({ name: 'after' });
    // Inner has no field 3: protobufjs skips it, so the nested length must be exact for "after" to be read.
    expect(bytes.length).toBe(1 + 2 + (1 + 2 + 300) + 1 + 1 + 5);
  });

  it('writes length-delimited messages one after another, as the Prometheus exposition does', () => {
    const writer = new ProtobufWriter();
    writer.delimited((w) => w.string(7, 'first'));
    writer.delimited((w) => w.string(7, 'second').uint(1, 2));
    const reader = protobuf.Reader.create(Buffer.from(writer.finish()));
    const names: unknown[] = [];
    while (reader.pos < reader.len) names.push(Sample.toObject(Sample.decodeDelimited(reader), { longs: String }));
    expect(names).toEqual([{ name: 'first' }, { name: 'second', big: '2' }]);
  });

  it('writes a message of known size in place (sized), and fields encoded before (raw), as the same bytes as open and close', () => {
    const inner = new ProtobufWriter().sint(1, -2).uint(2, 3).finish();
    const inPlace = new ProtobufWriter().sized(8, inner.length).raw(inner).string(7, 'after').finish();
    expect(inPlace).toEqual(new ProtobufWriter().open(8).sint(1, -2).uint(2, 3).close().string(7, 'after').finish());
    expect(decode(inPlace)).toEqual({ spans: [{ offset: -2, length: 3 }], name: 'after' });
  });

  it('can be reset and used again', () => {
    const writer = new ProtobufWriter().string(7, 'one');
    writer.finish();
    expect(decode(writer.reset().string(7, 'two').finish())).toEqual({ name: 'two' });
  });

  it('refuses what it cannot write exactly, by name', () => {
    expect(() => new ProtobufWriter().uint(1, -1)).toThrow('protobuf varint must be a safe integer, 0 or more, got -1');
    expect(() => new ProtobufWriter().uint(1, 0.5)).toThrow('got 0.5');
    expect(() => new ProtobufWriter().fixed64(1, 2 ** 60)).toThrow(
      'protobuf fixed64 must be a safe integer, 0 or more, got 1152921504606847000',
    );
    expect(() => new ProtobufWriter().sint(1, Number.NaN)).toThrow('protobuf sint must be a safe integer, got NaN');
    expect(() => new ProtobufWriter().close()).toThrow('ProtobufWriter.close() without an open()');
    expect(() => new ProtobufWriter().open(8).finish()).toThrow('ProtobufWriter.finish() with 1 field(s) still open');
    expect(() => new ProtobufWriter().delimited((w) => w.open(8))).toThrow('a field opened inside was not closed');
  });
});
