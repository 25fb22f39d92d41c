// A push target on 127.0.0.1 that the tests script: it records every request (the body gunzipped)
// and answers each as told, or never.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Received {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly gzipped: boolean;
  /** The body as sent, gunzipped when it was gzipped. */
  readonly body: string;
  /** The same as bytes (a protobuf body). */
  readonly bytes: Uint8Array;
}

/**
 * How to answer a request: a status (with headers and a body; `endless`: the body is written and
 * the answer never ends), or `'hang'` to never answer.
 */
export type Answer = { status: number; headers?: Record<string, string>; body?: string | Uint8Array; endless?: boolean } | 'hang';

export interface Target {
  /** `http://127.0.0.1:port` */
  readonly origin: string;
  readonly received: Received[];
  /** Resolves once `count` requests have arrived. */
  requests(count: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** Starts a target (on `port`, or a free one) that answers the request number `index` (from 0) with `answer(request, index)`. */
export async function startTarget(
  answer: (request: Received, index: number) => Answer | Promise<Answer> = () => ({ status: 204 }),
  port = 0,
): Promise<Target> {
  const received: Received[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const gzipped = request.headers['content-encoding'] === 'gzip';
      const bytes = gzipped ? gunzipSync(raw) : raw;
      const one: Received = {
        method: request.method!,
        url: request.url!,
        headers: request.headers,
        gzipped,
        body: bytes.toString('utf8'),
        bytes: new Uint8Array(bytes),
      };
      received.push(one);
      for (const wait of waiting.filter((wait) => received.length >= wait.count)) wait.resolve();
      void Promise.resolve(answer(one, received.length - 1)).then((reply) => {
        if (reply === 'hang') return;
        response.writeHead(reply.status, reply.headers);
        if (reply.endless) response.write(reply.body ?? '');
        else response.end(reply.body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    requests(count) {
      if (received.length >= count) return Promise.resolve(received.slice(0, count));
      return new Promise((resolve) => waiting.push({ count, resolve: () => resolve(received.slice(0, count)) }));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
