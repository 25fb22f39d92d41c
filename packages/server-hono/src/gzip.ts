import { parseAccept } from '@runometer/core/format';
import type { Body } from './render-cache.js';

/** Smaller bodies are sent as they are, as Hono's compress does: gzip would save too little. */
const THRESHOLD_BYTES = 1024;

/**
 * Whether a request with this Accept-Encoding takes gzip, and takes it before deflate (the other
 * coding Hono's compress offers, which answers the requests that prefer it).
 */
export function prefersGzip(acceptEncoding: string): boolean {
  const q = new Map(parseAccept(acceptEncoding).map(({ type, q }) => [type, q]));
  const gzip = q.get('gzip') ?? q.get('*') ?? 0;
  const deflate = q.get('deflate') ?? q.get('*') ?? 0;
  return gzip > 0 && gzip >= deflate;
}

const gzipped = new WeakMap<Body, Uint8Array<ArrayBuffer>>();

/**
 * `body` gzipped, made once per render and format however many scrapes ask for it (Hono's compress
 * would gzip it again for each); undefined for a body too small to gain from it. node:zlib is
 * loaded by the first body gzipped, not with the package (Bun: 5 ms and 1 to 3 MiB at start).
 */
export function gzippedBody(body: Body): Uint8Array<ArrayBuffer> | undefined {
  if (body.bytes < THRESHOLD_BYTES) return undefined;
  let bytes = gzipped.get(body);
  if (bytes === undefined) gzipped.set(body, (bytes = new Uint8Array(process.getBuiltinModule('node:zlib').gzipSync(body.content))));
  return bytes;
}
