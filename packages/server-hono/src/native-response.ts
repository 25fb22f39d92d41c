import type { Fetch } from './listener.js';

/**
 * The runtime's own Response, as it was when serve() first listened on Bun or Deno: @hono/node-server
 * replaces the global with a lightweight class of its own when an app imports it
 * (`overrideGlobalObjects`), and Bun.serve and Deno.serve refuse what that class makes (Bun answers
 * "Welcome to Bun!" in its place). A preloaded meter listens before the app's code runs.
 */
const NativeResponse = globalThis.Response;

/**
 * `fetch`, whose every answer is the runtime's own Response: one made from another class is copied
 * into one. By its prototype, not `instanceof`: @hono/node-server's class inherits from the native one.
 */
export function answeringNatively(fetch: Fetch): Fetch {
  // Typed by what is read of it: another class's answer is no Response to TypeScript either.
  const native = (answer: Pick<Response, 'body' | 'status' | 'statusText' | 'headers'>): Response =>
    Object.getPrototypeOf(answer) === NativeResponse.prototype
      ? (answer as Response)
      : new NativeResponse(answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  return (request, context) => {
    const answer = fetch(request, context);
    return answer instanceof Promise ? answer.then(native) : native(answer);
  };
}
