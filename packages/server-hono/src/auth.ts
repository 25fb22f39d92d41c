import type { MiddlewareHandler } from 'hono';
import { onFirstUse } from './on-first-use.js';

export type MetricsAuth = { readonly token: string } | { readonly username: string; readonly password: string };

/** RFC 6750's b64token, which is also all that Hono's bearer-auth takes from a header. */
const B64TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function character(c: string): string {
  const code = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c === ' ') return 'a space';
  if (/[\u0000-\u001f\u007f]/.test(c)) return `a control character (${code})`;
  if (c > '\u007f') return `a non-ASCII character (${code})`;
  return `"${c}"`;
}

function tokenProblem(token: string): string | undefined {
  if (B64TOKEN.test(token)) return undefined;
  const bad = [...token].find((c) => !/[A-Za-z0-9._~+/=-]/.test(c));
  return bad === undefined ? '"=" before its end (only trailing "=" padding is allowed)' : character(bad);
}

/**
 * What no client could send in basic auth: RFC 7617 forbids control characters, and Hono's
 * parser reads the password up to a line terminator. Non-ASCII is fine: it travels as UTF-8.
 */
function basicProblem(value: string): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'an unpaired surrogate, which UTF-8 cannot carry';
  const bad = /[\u0000-\u001f\u007f\u2028\u2029]/.exec(value)?.[0];
  return bad === undefined ? undefined : character(bad);
}

/**
 * Hono's bearer-auth or basic-auth for `auth`, refusing at once what no client could satisfy
 * (every scrape would then get 400 or 401 with no clue why); Hono's module is imported by the
 * first request.
 */
export function authMiddleware(auth: MetricsAuth): MiddlewareHandler {
  if (auth === null || typeof auth !== 'object') throw new TypeError('auth must be { token } or { username, password }');
  if ('token' in auth) {
    const { token } = auth as { token: unknown };
    if (typeof token !== 'string' || token === '') throw new TypeError('auth.token must be a non-empty string');
    const problem = tokenProblem(token);
    if (problem !== undefined) {
      throw new TypeError(
        `auth.token has ${problem}: a bearer token is letters, digits and -._~+/ with optional trailing "=" (RFC 6750), or no header can carry it`,
      );
    }
    return onFirstUse(() => import('hono/bearer-auth').then(({ bearerAuth }) => bearerAuth({ token })));
  }
  const { username, password } = auth as { username: unknown; password: unknown };
  if (typeof username !== 'string' || username === '' || typeof password !== 'string') {
    throw new TypeError('auth must be { token } or { username, password } with a non-empty username');
  }
  if (username.includes(':'))
    throw new TypeError('auth.username has ":": basic auth sends "username:password", so no client can send this username');
  for (const [name, value] of [
    ['username', username],
    ['password', password],
  ] as const) {
    const problem = basicProblem(value);
    if (problem !== undefined) throw new TypeError(`auth.${name} has ${problem}: no basic-auth client can send it (RFC 7617)`);
  }
  return onFirstUse(() => import('hono/basic-auth').then(({ basicAuth }) => basicAuth({ username, password })));
}
