import { gzipSync } from 'node:zlib';
import type { Body } from './render-cache.js';

/** Smaller bodies are sent as they are, as Hono's compress does: gzip would save too little. */
const THRESHOLD_BYTES = 1024;

/** Each coding of an Accept-Encoding header with its q (RFC 9110 §12.5.3); a q that is not a number from 0 to 1 is 0. */
function qualities(acceptEncoding: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [coding = '', ...parameters] = part.split(';');
    const name = coding.trim().toLowerCase();
    if (name === '') continue;
    const q = parameters.map((p) => /^\s*q\s*=\s*(.*?)\s*$/i.exec(p)?.[1]).find((value) => value !== undefined);
    const quality = q === undefined ? 1 : Number(q);
    found.set(name, quality >= 0 && quality <= 1 ? quality : 0);
  }
  return found;
}

/**
 * Whether a request with this Accept-Encoding takes gzip, and takes it before deflate (the other
 * coding Hono's compress offers, which answers the requests that prefer it).
 */
export function prefersGzip(acceptEncoding: string): boolean {
  const q = qualities(acceptEncoding);
  const gzip = q.get('gzip') ?? q.get('*') ?? 0;
  const deflate = q.get('deflate') ?? q.get('*') ?? 0;
  return gzip > 0 && gzip >= deflate;
}

const gzipped = new WeakMap<Body, Uint8Array<ArrayBuffer>>();

/**
 * `body` gzipped, made once per render and format however many scrapes ask for it (Hono's compress
 * would gzip it again for each); undefined for a body too small to gain from it.
 */
export function gzippedBody(body: Body): Uint8Array<ArrayBuffer> | undefined {
  if (body.bytes < THRESHOLD_BYTES) return undefined;
  let bytes = gzipped.get(body);
  if (bytes === undefined) gzipped.set(body, (bytes = new Uint8Array(gzipSync(body.text))));
  return bytes;
}
