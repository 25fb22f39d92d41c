import { describe, expect, test } from 'vitest';
import { PointBuffer } from './point-buffer.js';

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => `m n=${from + index}i`);

describe('PointBuffer', () => {
  test('keeps the newest `capacity` lines and returns how many of the oldest it dropped', () => {
    const buffer = new PointBuffer<string>(3);
    expect(buffer.push(lines(1, 2))).toBe(0);
    expect(buffer.push(lines(3, 5))).toBe(2);
    expect(buffer.take(10)).toEqual(lines(3, 5));
    expect(buffer.push(lines(6, 10))).toBe(2);
    expect(buffer.size).toBe(3);
  });

  test('hands out the oldest lines in order, a batch at a time, one batch in flight', () => {
    const buffer = new PointBuffer<string>(10);
    buffer.push(lines(1, 5));
    expect(buffer.take(2)).toEqual(lines(1, 2));
    expect(() => buffer.take(2)).toThrow('a request is already in flight');
    buffer.finish();
    expect(buffer.take(2)).toEqual(lines(3, 4));
    buffer.finish();
    expect(buffer.take(2)).toEqual(lines(5, 5));
    buffer.finish();
    expect(buffer.size).toBe(0);
  });

  test('a batch to retry stays at the front', () => {
    const buffer = new PointBuffer<string>(10);
    buffer.push(lines(1, 3));
    buffer.take(2);
    buffer.push(lines(4, 4));
    expect(buffer.release()).toBe(0);
    expect(buffer.take(10)).toEqual(lines(1, 4));
  });

  test('lines of the batch in flight pushed out by overflow share its fate: dropped when it is to be retried', () => {
    const buffer = new PointBuffer<string>(4);
    buffer.push(lines(1, 4));
    buffer.take(3);
    // Three new lines push out 1, 2, 3, all in flight: not counted yet.
    expect(buffer.push(lines(5, 7))).toBe(0);
    expect(buffer.size).toBe(4);
    expect(buffer.release()).toBe(3);
    expect(buffer.take(10)).toEqual(lines(4, 7));
  });

  test('…and sent (not dropped) when it succeeds, the rest of it leaving the buffer', () => {
    const buffer = new PointBuffer<string>(4);
    buffer.push(lines(1, 4));
    buffer.take(3);
    // Two new lines push out 1 and 2 (in flight) and nothing else: 3 is still in flight.
    expect(buffer.push(lines(5, 6))).toBe(0);
    buffer.finish();
    expect(buffer.take(10)).toEqual(lines(4, 6));
  });

  test('overflow beyond the batch in flight drops queued lines and counts them at once', () => {
    const buffer = new PointBuffer<string>(4);
    buffer.push(lines(1, 4));
    buffer.take(1);
    expect(buffer.push(lines(5, 7))).toBe(2);
    expect(buffer.release()).toBe(1);
    expect(buffer.take(10)).toEqual(lines(4, 7));
  });

  test('clear() empties it and says how many it held; never with a batch in flight', () => {
    const buffer = new PointBuffer<string>(4);
    buffer.push(lines(1, 3));
    buffer.take(1);
    expect(() => buffer.clear()).toThrow('a request is still in flight');
    buffer.release();
    expect(buffer.clear()).toBe(3);
    expect(buffer.size).toBe(0);
  });

  test('stays exact over many pushes and batches (its array is compacted as it goes)', () => {
    const buffer = new PointBuffer<string>(1500);
    let dropped = 0;
    const sent: string[] = [];
    for (let round = 0; round < 20; round++) {
      dropped += buffer.push(lines(round * 1000 + 1, round * 1000 + 1000));
      sent.push(...buffer.take(700));
      buffer.finish();
    }
    expect(sent.length + dropped + buffer.size).toBe(20_000);
    expect(buffer.take(2000)).toEqual(lines(19_201, 20_000));
    expect(sent.slice(0, 2)).toEqual(lines(1, 2));
  });
});
