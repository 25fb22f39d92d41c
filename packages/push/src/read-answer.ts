import type { TargetAnswer } from './encoder.js';

/**
 * The first `maxBytes` of a response's body, as bytes and as text (cut on a byte: a character cut
 * in two is left out of the text); the rest is cancelled unread, so that a target cannot make the
 * pusher hold a body of any size, nor wait for one that never ends.
 */
export async function readAnswer(response: Response, maxBytes: number): Promise<TargetAnswer> {
  const contentType = response.headers.get('content-type') ?? '';
  const reader = response.body?.getReader();
  if (reader === undefined) return { bytes: new Uint8Array(0), text: '', contentType };
  const chunks: Uint8Array[] = [];
  let length = 0;
  let complete = false;
  while (length < maxBytes) {
    const { done, value } = await reader.read();
    if (done) {
      complete = true;
      break;
    }
    const wanted = value.subarray(0, maxBytes - length);
    chunks.push(wanted);
    length += wanted.byteLength;
  }
  if (!complete) await reader.cancel();
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  // Streaming leaves out a character the bound cut; a whole body decodes to its end.
  const text = new TextDecoder().decode(bytes, { stream: !complete });
  return { bytes, text, contentType };
}
