/**
 * The first `maxBytes` of a response's body as text (cut on a byte: a character cut in two is
 * dropped); the rest is cancelled unread, so that a target cannot make the pusher hold a body of
 * any size, nor wait for one that never ends.
 */
export async function readAnswer(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  while (bytes < maxBytes) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    const wanted = value.subarray(0, maxBytes - bytes);
    bytes += wanted.byteLength;
    text += decoder.decode(wanted, { stream: true });
  }
  await reader.cancel();
  return text;
}
