import { describe, expect, test } from 'vitest';
import { parseLine } from '@runometer/core/format';
import { readRefusal } from './partial-write.js';

const batch = ['node,app=a rss_bytes=1i 1', 'node,app=a rss_bytes=2i 2', 'other x=1 3', 'odd\\ name,t=1 x=1 4'];

describe('readRefusal', () => {
  test('InfluxDB 1.x field type conflict: the lines with that field in that measurement, and dropped=N', () => {
    const error =
      'partial write: field type conflict: input field "rss_bytes" on measurement "node" is type integer, already exists as type float dropped=2';
    expect(readRefusal(JSON.stringify({ error }), batch)).toEqual({ message: error, count: 2, lines: batch.slice(0, 2) });
  });

  test('InfluxDB 1.x with an escaped measurement name', () => {
    const error =
      'partial write: field type conflict: input field "x" on measurement "odd name" is type float, already exists as type string dropped=1';
    expect(readRefusal(JSON.stringify({ error }), batch)).toEqual({ message: error, count: 1, lines: [batch[3]] });
  });

  test('InfluxDB 1.x parse errors quote each refused line', () => {
    const error = `partial write: unable to parse '${batch[2]}': bad timestamp\nunable to parse '${batch[3]}': it's odd dropped=0`;
    expect(readRefusal(JSON.stringify({ error }), batch)).toEqual({ message: error, count: 2, lines: batch.slice(2) });
  });

  test('InfluxDB 1.x without a line or field: the count it gives, lines unknown', () => {
    const error = 'partial write: points beyond retention policy dropped=3';
    expect(readRefusal(JSON.stringify({ error }), batch)).toEqual({ message: error, count: 3, lines: [] });
  });

  test('InfluxDB 2.x names the first refused line by number, from 1', () => {
    const body = { code: 'invalid', message: 'unable to parse points: line 3: invalid field format', line: 3 };
    expect(readRefusal(JSON.stringify(body), batch)).toEqual({ message: body.message, count: 1, lines: [batch[2]] });
  });

  test('InfluxDB 3.x lists each refused line', () => {
    const body = {
      error: 'partial write of line protocol occurred',
      data: [
        { original_line: batch[1], line_number: 2, error_message: 'invalid column type' },
        { original_line: batch[3], line_number: 4, error_message: 'invalid column type' },
      ],
    };
    expect(readRefusal(JSON.stringify(body), batch)).toEqual({ message: body.error, count: 2, lines: [batch[1], batch[3]] });
  });

  test('an answer that names nothing: the whole batch was refused', () => {
    expect(readRefusal('bad request', batch)).toEqual({ message: 'bad request', count: 4, lines: batch });
    expect(readRefusal('{"error":"unable to parse: EOF"}', batch)).toEqual({ message: 'unable to parse: EOF', count: 4, lines: batch });
  });

  test('names a line only if the batch holds it, and counts no more than the batch', () => {
    const error = `partial write: unable to parse 'not ours': bad dropped=9`;
    expect(readRefusal(JSON.stringify({ error }), batch)).toEqual({ message: error, count: 4, lines: batch });
  });
});

describe('readRefusal on a hostile answer', () => {
  const many = Array.from({ length: 5000 }, (_, i) => `node,host=h${i} rss_bytes=${i}i,cpu_ratio=0.5 ${i}`);

  test('parses each line of the batch once, however many conflicts the answer names', () => {
    const error = `partial write: field type conflict: ${'input field "rss_bytes" on measurement "node" is type integer, '.repeat(1500)}input field "x" on measurement "other" dropped=5000`;
    const parsed: string[] = [];
    const refusal = readRefusal(JSON.stringify({ error }), many, (line) => (parsed.push(line), parseLine(line)));
    expect(parsed).toEqual(many);
    expect([refusal.count, refusal.lines]).toEqual([5000, many]);
  });

  test("an unable to parse ' repeated without its end names nothing: the whole batch", () => {
    const error = "unable to parse '".repeat(8000);
    expect(readRefusal(JSON.stringify({ error }), batch)).toEqual({ message: error, count: 4, lines: batch });
  });

  test('lines named by 3.x each found in the batch at once: all 5000, in the order named', () => {
    const named = [...many].reverse();
    const refusal = readRefusal(JSON.stringify({ error: 'partial write', data: named.map((original_line) => ({ original_line })) }), many);
    expect([refusal.count, refusal.lines]).toEqual([5000, named]);
  });
});
