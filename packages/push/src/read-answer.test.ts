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
    expect(await readAnswer(response, 4000)).toBe('x'.repeat(3000));
    expect(made).toEqual({ chunks: 3, cancelled: false });
  });

  test('reads at most maxBytes of a longer body, then cancels the rest unread', async () => {
    const { response, made } = dripping(1000, 16_384);
    expect(await readAnswer(response, 40_000)).toBe('x'.repeat(40_000));
    expect(made).toEqual({ chunks: 3, cancelled: true });
  });

  test('cuts on a byte, not in the middle of a character', async () => {
    expect(await readAnswer(new Response('ééé'), 3)).toBe('é');
  });

  test('no body: empty', async () => {
    expect(await readAnswer(new Response(null, { status: 204 }), 10)).toBe('');
  });
});
