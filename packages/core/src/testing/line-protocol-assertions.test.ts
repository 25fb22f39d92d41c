import { describe, expect, test } from 'vitest';
import { assertStableFieldTypes, assertValidLineProtocol } from './line-protocol-assertions.js';

describe('assertValidLineProtocol', () => {
  test('accepts valid bodies, the empty one included', () => {
    expect(() => assertValidLineProtocol('m,host=h1 a=1i,b="x y"\nm c=true\n')).not.toThrow();
    expect(() => assertValidLineProtocol('')).not.toThrow();
  });

  test('names the line that does not parse, and why', () => {
    expect(() => assertValidLineProtocol('m a=1i\nm b=\n')).toThrow(/^line 2 is not valid line protocol \(.+\): "m b="$/);
  });

  test('refuses a body without its final LF', () => {
    expect(() => assertValidLineProtocol('m a=1i')).toThrow('the body does not end with LF: "m a=1i"');
  });
});

describe('assertStableFieldTypes', () => {
  test('accepts fields that keep their type, wherever they appear', () => {
    expect(() => assertStableFieldTypes(['m a=1i,b=2\n', 'm a=3i\nm b=0.5\n', ''])).not.toThrow();
  });

  test('names the field that changed type, and the renders', () => {
    expect(() => assertStableFieldTypes(['m a=1i\n', 'm a=1i\n', 'm a=1\n'])).toThrow(
      'field "a" of "m" is integer in render 1 and float in render 3: InfluxDB rejects the write that changes a field\'s type',
    );
  });

  test('lists each field that changed type once, within a render too', () => {
    expect(() => assertStableFieldTypes(['m a=1i,b=1i\nm a="x",b=true\n', 'm a=1\n'])).toThrow(
      [
        'field "a" of "m" is integer in render 1 and string in render 1: InfluxDB rejects the write that changes a field\'s type',
        'field "b" of "m" is integer in render 1 and boolean in render 1: InfluxDB rejects the write that changes a field\'s type',
      ].join('\n'),
    );
  });

  test('tells one measurement from another', () => {
    expect(() => assertStableFieldTypes(['m a=1i\nn a="x"\n'])).not.toThrow();
  });

  test('refuses a body that does not parse', () => {
    expect(() => assertStableFieldTypes(['m a=1i\n', 'm a=\n'])).toThrow(/^render 2: line 1 is not valid line protocol/);
  });
});
