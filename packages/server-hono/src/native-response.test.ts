import { expect, test } from 'vitest';
import { answeringNatively } from './native-response.js';

/** What @hono/node-server puts in place of the global Response: a class of its own, with a body, status and headers. */
class LightweightResponse {
  readonly statusText = 'Created';
  readonly headers = new Headers({ 'content-type': 'text/plain' });
  readonly status = 201;
  readonly body = new Response('made').body;
}
// What @hono/node-server does, so that `instanceof Response` holds for its answers.
Object.setPrototypeOf(LightweightResponse.prototype, Response.prototype);

const request = new Request('http://127.0.0.1/');

test("an answer of another class is copied into the runtime's own Response: body, status, status text, headers", async () => {
  for (const fetch of [() => new LightweightResponse(), async () => new LightweightResponse()]) {
    const answer = await answeringNatively(fetch as never)(request);
    expect(answer).toBeInstanceOf(Response);
    expect([answer.status, answer.statusText, answer.headers.get('content-type'), await answer.text()]).toEqual([
      201,
      'Created',
      'text/plain',
      'made',
    ]);
  }
});

test('a Response is answered as it is, synchronously when it came so', () => {
  const response = new Response('same');
  expect(answeringNatively(() => response)(request)).toBe(response);
});
