// The Host allow-list. A page on another site can have its own name re-pointed at 127.0.0.1 (DNS
// rebinding): the browser then sends its requests to the endpoint on loopback and, the name being
// the page's own, lets the page read the answers. Those requests still carry the page's name in
// Host, so an endpoint that answers only for its own names gives such a page nothing.
import type { Fetch } from './listener.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** Host names (no port: any port is allowed) the endpoint answers for, or `'any'` for every Host. */
export type AllowedHosts = readonly string[] | 'any';

/** The names of this machine's loopback, which a server bound to loopback answers for by default. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
/** A Host header's port, to strip before looking the name up. */
const PORT = /:\d*$/;

/**
 * The canonical name in a Host header (or an allow-list entry): lower case, IP addresses as the
 * URL parser writes them (`[::1]`, `127.0.0.1` for `127.1`), without the port or a final dot;
 * undefined for what is not a host at all (a path, credentials, a port out of range).
 */
export function canonicalHost(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(`http://${value}/`);
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '' || url.pathname !== '/' || url.search !== '' || url.hash !== '') return undefined;
  return url.hostname.replace(/\.$/, '');
}

/** Whether a hostname to listen on is this machine's loopback (127.0.0.0/8, ::1, localhost). */
export function isLoopback(hostname: string): boolean {
  const host = canonicalHost(hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname);
  if (host === undefined) return false;
  if (host === 'localhost' || host === '[::1]' || IPV4_LOOPBACK.test(host)) return true;
  // IPv4-mapped loopback, as the URL parser writes it: ::ffff:127.x.y.z is [::ffff:7fxx:yyzz].
  return /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host);
}

/**
 * What a server listening on `hostname` answers for unless told otherwise: on loopback, the
 * loopback's names and `hostname` itself, so that a DNS-rebinding page gets nothing; elsewhere
 * every Host, since the names it is reached by (a LAN address, host.docker.internal, a proxy's
 * name) cannot be known here.
 */
export function defaultAllowedHosts(hostname: string): AllowedHosts {
  if (!isLoopback(hostname)) return 'any';
  const own = canonicalHost(hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname)!;
  return LOOPBACK_HOSTS.includes(own) ? LOOPBACK_HOSTS : [...LOOPBACK_HOSTS, own];
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : value === null ? 'null' : typeof value;
}

/** The allow-list as canonical names, refusing at once what would never match as meant; undefined for `'any'`. */
export function allowedHostSet(allowed: unknown): ReadonlySet<string> | undefined {
  if (allowed === 'any') return undefined;
  if (!Array.isArray(allowed)) throw new TypeError(`allowedHosts must be a list of host names or 'any', got ${describe(allowed)}`);
  if (allowed.length === 0) throw new TypeError("allowedHosts is empty: no request would be answered; pass 'any' to answer every Host");
  const names = new Set<string>();
  for (const entry of allowed as unknown[]) {
    if (typeof entry !== 'string' || entry === '')
      throw new TypeError(`allowedHosts holds ${describe(entry)}: each entry is a host name or an IP address`);
    if (entry.includes('*') || entry.startsWith('.')) {
      throw new TypeError(
        `allowedHosts holds ${JSON.stringify(entry)}: entries are exact names, not patterns; name each host, or pass 'any' to answer every Host`,
      );
    }
    // A bare IPv6 address (`::1`) is written in brackets in a Host header.
    const bracketed = entry.includes(':') && !entry.startsWith('[') && entry.indexOf(':') !== entry.lastIndexOf(':') ? `[${entry}]` : entry;
    const host = canonicalHost(bracketed);
    if (host === undefined) throw new TypeError(`allowedHosts holds ${JSON.stringify(entry)}, which is not a host name or an IP address`);
    if (new URL(`http://${bracketed}/`).port !== '' || bracketed.endsWith(':')) {
      throw new TypeError(`allowedHosts holds ${JSON.stringify(entry)}: entries are names without a port (any port is allowed)`);
    }
    names.add(host);
  }
  return names;
}

/** Whether a request's Host header names a host of `allowed`; a request without one is refused. */
export function hostAllowed(allowed: ReadonlySet<string>, host: string | null | undefined): boolean {
  if (host === null || host === undefined) return false;
  // What browsers send (`localhost:8890`) is found without parsing; anything else is canonicalized first.
  const lower = host.toLowerCase();
  if (allowed.has(lower.replace(PORT, ''))) return true;
  const canonical = canonicalHost(host);
  return canonical !== undefined && allowed.has(canonical);
}

/** The answer to a request for a host the endpoint does not answer for: 421, and a line that says so. */
export function misdirected(method: string, host: string | null | undefined): Response {
  const which =
    host === null || host === undefined
      ? 'a request without Host'
      : `host ${JSON.stringify(host.length > 100 ? `${host.slice(0, 100)}…` : host)}`;
  const body = `Misdirected Request: this endpoint does not answer for ${which} (allowedHosts)\n`;
  return new Response(method === 'HEAD' ? null : body, {
    status: 421,
    headers: {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': String(new TextEncoder().encode(body).length),
      'Cache-Control': 'no-store',
    },
  });
}

/** `fetch`, answering 421 first to a request whose Host `allowed` does not name; `fetch` itself for `'any'`. */
export function checkingHost(fetch: Fetch, allowed: AllowedHosts): Fetch {
  const names = allowedHostSet(allowed);
  if (names === undefined) return fetch;
  return (request, context) => {
    const host = request.headers.get('Host');
    return hostAllowed(names, host) ? fetch(request, context) : misdirected(request.method, host);
  };
}
