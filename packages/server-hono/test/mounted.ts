// What the mounted endpoint answers inside a host app's own server, seen with raw requests on
// sockets (no client decompresses or adds headers): shared by src/mount.test.ts on Node and
// fetch-handler-child.ts on Bun and Deno.
import { Runometer, type SnapshotSource } from '@runometer/core';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** A string field long enough (over 1 KiB) for the body to be gzipped when asked. */
export const NOTE = 'x'.repeat(1100);
export const LINE_PROTOCOL = `app,host=h1 requests=12i,note="${NOTE}"\n`;
export const PROMETHEUS =
  '# HELP app_requests_total Requests served.\n# TYPE app_requests_total counter\napp_requests_total{host="h1"} 12\n';
export const TOKEN = 'let-me-in';

/** A meter behind a source that the test closes. */
export function closableSource(): SnapshotSource & { close(): void } {
  const meter = new Runometer('app')
    .addTag('host', 'h1')
    .addField('requests', () => 12, { type: 'integer', kind: 'counter', help: 'Requests served.' })
    .addField('note', () => NOTE, { type: 'string' });
  let closed = false;
  return {
    name: 'app',
    get closed() {
      return closed;
    },
    collect: () => meter.collect(),
    close: () => {
      closed = true;
    },
  };
}

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: Buffer;
}

/** Bytes of a chunked body, joined. */
function unchunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = Number.parseInt(body.subarray(at, lineEnd).toString(), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

/**
 * One request on a raw socket, read until the server closes it: the bytes as sent, on every
 * runtime (Bun's node:http client hangs up on a gzipped answer from Bun.serve).
 */
function send(url: string, method = 'GET', headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port, pathname, search } = new URL(url);
  const head = [
    `${method} ${pathname}${search} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => reject(new Error(`${method} ${url} ${JSON.stringify(headers)}: ${error.message}`)));
    socket.on('end', () => {
      const received = Buffer.concat(chunks);
      const split = received.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = received.subarray(0, split).toString('latin1').split('\r\n');
      const parsed: Answer['headers'] = Object.fromEntries(
        lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
      );
      const body = received.subarray(split + 4);
      resolve({
        status: Number(statusLine!.split(' ')[1]),
        headers: parsed,
        body: parsed['transfer-encoding'] === 'chunked' ? unchunked(body) : body,
      });
    });
    socket.write(`${head.join('\r\n')}\r\n\r\n`);
  });
}

const SECURITY = ['x-content-type-options', 'x-frame-options', 'content-security-policy', 'cross-origin-resource-policy'];
const PICKED = ['content-type', 'content-length', 'content-encoding', 'cache-control', 'vary', 'allow', 'www-authenticate', ...SECURITY];
// Hono writes `charset=utf-8`, core `charset=utf-8`, and Deno drops the space after `;`: all the same media type.
const normalized = (name: string, value: string) => (name === 'content-type' ? value.toLowerCase().replace(/;\s*/g, '; ') : value);
const pick = (headers: Answer['headers']) =>
  Object.fromEntries(PICKED.filter((name) => headers[name] !== undefined).map((name) => [name, normalized(name, headers[name]!)]));
const seen = async (answer: Promise<Answer>) => {
  const { status, headers, body } = await answer;
  return { status, headers: pick(headers), body: body.toString() };
};

export interface Mounted {
  /** Where the host app mounted the endpoint, e.g. `http://127.0.0.1:1234/metrics`. */
  readonly endpoint: string;
  /** The same endpoint, mounted with `auth: { token: TOKEN }`. */
  readonly guarded: string;
  /** A route of the host app's own, answering `hello`. */
  readonly own: string;
  /** Closes the source behind `endpoint`. */
  closeSource(): void;
}

/** Scrapes a mounted endpoint every way the tests check, and reports what came back. */
export async function scrape({ endpoint, guarded, own, closeSource }: Mounted) {
  const plain = await seen(send(endpoint));
  const gzipped = await send(endpoint, 'GET', { 'Accept-Encoding': 'gzip' });
  const observed = {
    plain,
    servedWithSlash: (await seen(send(`${endpoint}/`))).body === LINE_PROTOCOL,
    prometheus: await seen(send(endpoint, 'GET', { Accept: 'text/plain;version=0.0.4' })),
    json: await seen(send(`${endpoint}?format=json`)),
    unacceptable: (await seen(send(endpoint, 'GET', { Accept: 'image/png' }))).status,
    gzip: {
      headers: pick({ ...gzipped.headers, 'content-length': undefined }),
      lengthIsTheBytes: gzipped.headers['content-length'] === String(gzipped.body.length),
      body: gunzipSync(gzipped.body).toString(),
    },
    head: await seen(send(endpoint, 'HEAD')),
    post: await seen(send(endpoint, 'POST')),
    // Without the length: @hono/node-server sends Hono's 401 chunked once it replaced the global Response.
    withoutCredentials: await seen(send(guarded)).then(({ headers: { 'content-length': _, ...headers }, ...rest }) => ({
      ...rest,
      headers,
    })),
    withCredentials: (await seen(send(guarded, 'GET', { Authorization: `Bearer ${TOKEN}` }))).body,
    // Credentials first: a stranger's POST gets 401 as a GET does, not a 405 that says the endpoint is there.
    postWithoutCredentials: await seen(send(guarded, 'POST')).then(({ status, headers }) => ({
      status,
      challenge: headers['www-authenticate'],
      allow: headers['allow'],
    })),
    own: await send(own).then(({ status, body }) => ({ status, body: body.toString() })),
  };
  closeSource();
  return { ...observed, closed: await seen(send(endpoint)) };
}

/** What `scrape` sees from every host; `servedWithSlash` is the host's routing (`/metrics/` routed elsewhere, or not). */
export function expected(servedWithSlash = true) {
  // Every answer: nosniff, not framed, not embedded by another site, nothing run (src/security-headers.ts).
  const secure = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
  };
  const text = { ...secure, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  return {
    plain: { status: 200, headers: { ...text, 'content-length': String(LINE_PROTOCOL.length), vary: 'Accept' }, body: LINE_PROTOCOL },
    servedWithSlash,
    prometheus: {
      status: 200,
      headers: {
        ...secure,
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': String(PROMETHEUS.length),
        vary: 'Accept',
      },
      body: PROMETHEUS,
    },
    json: {
      status: 200,
      headers: {
        ...secure,
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'content-length': String(JSON_BODY.length),
        vary: 'Accept',
      },
      body: JSON_BODY,
    },
    unacceptable: 406,
    gzip: {
      headers: { ...text, 'content-encoding': 'gzip', vary: 'Accept, Accept-Encoding' },
      lengthIsTheBytes: true,
      body: LINE_PROTOCOL,
    },
    head: { status: 200, headers: { ...text, 'content-length': String(LINE_PROTOCOL.length), vary: 'Accept' }, body: '' },
    post: { status: 405, headers: { ...text, allow: 'GET, HEAD', 'content-length': '19' }, body: 'Method Not Allowed\n' },
    withoutCredentials: {
      status: 401,
      headers: { ...secure, 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm=""' },
      body: 'Unauthorized',
    },
    withCredentials: LINE_PROTOCOL,
    postWithoutCredentials: { status: 401, challenge: 'Bearer realm=""', allow: undefined },
    own: { status: 200, body: 'hello' },
    closed: { status: 503, headers: { ...text, 'content-length': String(CLOSED.length) }, body: CLOSED },
  };
}

const JSON_BODY = `{"measurement":"app","points":[{"tags":{"host":"h1"},"fields":{"requests":12,"note":"${NOTE}"}}]}`;
const CLOSED = 'Service Unavailable: source "app" is closed\n';
