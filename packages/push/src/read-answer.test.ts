import { describe, expect, test } from 'vitest';
import { readAnswer } from './read-answer.js';

/** A response whose body is `chunks` chunks of `size` bytes of 'x', made only as they are read. */
function dripping(chunks: number, size: number) {
  const made = { chunks: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (made.chunks === chunks) return controller.close();
        made.chunks++;
        controller.enqueue(new Uint8Array(size).fill(0x78));
      },
      cancel() {
        made.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { response: new Response(body), made };
}

describe('readAnswer', () => {
  test('reads a body within the bound whole', async () => {
    const { response, made } = dripping(3, 1000);
    expect((await readAnswer(response, 4000)).text).toBe('x'.repeat(3000));
    expect(made).toEqual({ chunks: 3, cancelled: false });
  });

  test('reads at most maxBytes of a longer body, then cancels the rest unread', async () => {
    const { response, made } = dripping(1000, 16_384);
    expect((await readAnswer(response, 40_000)).text).toBe('x'.repeat(40_000));
    expect(made).toEqual({ chunks: 3, cancelled: true });
  });

  test('cuts on a byte: the bytes as read, the text without the character cut in two', async () => {
    const answer = await readAnswer(new Response('ééé', { headers: { 'Content-Type': 'text/plain' } }), 3);
    expect(answer).toEqual({ bytes: new Uint8Array([0xc3, 0xa9, 0xc3]), text: 'é', contentType: 'text/plain' });
  });

  test('a binary body whole: its bytes unchanged', async () => {
    const bytes = new Uint8Array([0x0a, 0x03, 0x08, 0xff, 0x01]);
    const answer = await readAnswer(new Response(bytes, { headers: { 'Content-Type': 'application/x-protobuf' } }), 100);
    expect([answer.bytes, answer.contentType]).toEqual([bytes, 'application/x-protobuf']);
  });

  test('no body: empty', async () => {
    expect(await readAnswer(new Response(null, { status: 204 }), 10)).toEqual({ bytes: new Uint8Array(0), text: '', contentType: '' });
  });
});
