// Headers every answer of the endpoint and its live view carries: a browser never guesses a type
// the answer does not declare (nosniff), never shows an answer inside another site's frame, never
// lets another site embed it (a script or image tag), and runs nothing in it (a body is text,
// JSON or the live view's page, whose own policy is src/view/page.ts's).

/** On every answer but the live view's page (which has its own Content-Security-Policy). */
export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

/** Sets the security headers a response made elsewhere (Hono's 401) lacks; returns it. */
export function secured(response: Response): Response {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!response.headers.has(name)) response.headers.set(name, value);
  return response;
}
