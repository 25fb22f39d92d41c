/** A body's text, read as far as `limit` bytes (after decoding its Content-Encoding); `complete` is false when there was more, left unread. */
export async function readBody(response: Response, limit: number): Promise<{ text: string; complete: boolean }> {
  if (response.body === null) return { text: '', complete: true };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), complete: true };
    read += value.byteLength;
    if (read > limit) {
      // Not awaited: a sender that never stops must not hold the answer.
      reader.cancel().catch(() => {});
      return { text: text + decoder.decode(value.subarray(0, value.byteLength - (read - limit))), complete: false };
    }
    text += decoder.decode(value, { stream: true });
  }
}
