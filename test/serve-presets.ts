// Serves the four presets with @runometer/server-hono on an ephemeral loopback port in whatever
// runtime runs this file, scrapes it with fetch and raw sockets, stops it, and prints what it saw.
import { Runometer } from '@runometer/core';
import { detectRuntime } from '@runometer/runtime';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve, serveApp } from '@runometer/server-hono';
import { connect, type Socket } from 'node:net';

export interface ServedOutput {
  runtime: string;
  url: string;
  responses: { format: string; status: number; contentType: string | null; firstLine: string }[];
  statusByPath: Record<string, number>;
  /** The status for each Host header, on a server on loopback (a DNS-rebinding page sends its own name), and the nosniff of a 200. */
  statusByHost: Record<string, number>;
  nosniff: string | null;
  head: { status: number; contentLength: number; body: string };
  getBytes: number;
  pipelined: { cached: number; renderPerScrape: number };
  stuckClient: { closeResolved: boolean; sameCloseTwice: boolean; socketClosed: boolean };
  neverAnswered: { closeResolved: boolean; statusLine: string };
  closed: boolean;
}

const REQUEST = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

/** Writes `text` on a fresh connection and collects what comes back until `done(received)` or the connection closes. */
function exchange(port: number, text: string, done: (received: string) => boolean): Promise<{ received: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const finish = () => resolve({ received, socket });
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (done(received)) finish();
    });
    socket.on('close', finish);
    socket.on('error', reject);
    socket.write(text);
  });
}

const answers = (received: string) => received.match(/^HTTP\/1\.1 200 /gm)?.length ?? 0;

/** Ten requests in one write on one connection: how many are answered before the connection ends. */
async function pipelined(port: number): Promise<number> {
  const { received, socket } = await exchange(port, REQUEST.repeat(10), (text) => answers(text) === 10 && text.endsWith('\n'));
  socket.destroy();
  return answers(received);
}

export async function servePresets(): Promise<ServedOutput> {
  const meter = new Runometer('served').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
  // A minute between renders: every scrape below but the first gets the same render.
  const server = await serve(meter, { port: 0, minRenderInterval: 60_000, closeGracePeriod: 50 });
  const base = `http://127.0.0.1:${server.port}`;
  const responses: ServedOutput['responses'] = [];
  for (const format of ['influx', 'prometheus', 'openmetrics', 'json']) {
    const response = await fetch(`${base}/?format=${format}`);
    responses.push({
      format,
      status: response.status,
      contentType: response.headers.get('content-type'),
      firstLine: (await response.text()).split('\n')[0]!.slice(0, 120),
    });
  }
  const statusByPath: Record<string, number> = {};
  for (const path of ['/', '/metrics', '/metrics/', '/other']) {
    const response = await fetch(`${base}${path}`);
    await response.arrayBuffer();
    statusByPath[path] = response.status;
  }
  const statusByHost: Record<string, number> = {};
  for (const host of ['localhost:PORT', '[::1]:PORT', 'rebind.attacker.example:PORT']) {
    const { received, socket } = await exchange(
      server.port,
      `GET / HTTP/1.1\r\nHost: ${host.replace('PORT', String(server.port))}\r\nConnection: close\r\n\r\n`,
      () => false,
    );
    socket.destroy();
    statusByHost[host] = Number(received.split(' ')[1]);
  }
  const nosniff = (
    await fetch(base).then(async (response) => [response.headers.get('x-content-type-options'), await response.arrayBuffer()] as const)
  )[0];
  const getBytes = (await (await fetch(base)).arrayBuffer()).byteLength;
  const headResponse = await fetch(base, { method: 'HEAD' });
  const head = {
    status: headResponse.status,
    contentLength: Number(headResponse.headers.get('content-length')),
    body: await headResponse.text(),
  };

  const cached = await pipelined(server.port);
  const everyScrape = await serve(meter, { port: 0, minRenderInterval: 0 });
  const renderPerScrape = await pipelined(everyScrape.port);
  await everyScrape.close();

  // A client that sent one request and half of the next one, then nothing: once its first answer
  // is in, the server has read the half request too.
  const stuck = await exchange(server.port, `${REQUEST}GET / HTTP/1.1\r\nHost: 127.`, (text) => answers(text) === 1 && text.endsWith('\n'));
  const socketClosed = new Promise<boolean>((resolve) => {
    if (stuck.socket.destroyed) resolve(true);
    stuck.socket.once('close', () => resolve(true));
  });
  const closing = server.close();
  const sameCloseTwice = server.close() === closing;
  const closeResolved = await closing.then(() => true);
  const stuckClient = { closeResolved, sameCloseTwice, socketClosed: await socketClosed };

  // A request whose answer never comes: close() waits the grace period, then drops it.
  let handling!: () => void;
  const handled = new Promise<void>((resolve) => (handling = resolve));
  const hanging = await serveApp(
    {
      fetch: () => {
        handling();
        return new Promise<Response>(() => {});
      },
    },
    { port: 0, closeGracePeriod: 50 },
  );
  const request = exchange(hanging.port, REQUEST, () => false);
  await handled;
  const neverAnswered = {
    closeResolved: await hanging.close().then(() => true),
    statusLine: await request.then(({ received }) => received.split('\r\n')[0]!),
  };

  const closed = await fetch(`${base}/`).then(
    () => false,
    () => true,
  );
  await meter.close();
  return {
    runtime: detectRuntime().name,
    url: server.url.replace(String(server.port), 'PORT'),
    responses,
    statusByPath,
    statusByHost,
    nosniff,
    head,
    getBytes,
    pipelined: { cached, renderPerScrape },
    stuckClient,
    neverAnswered,
    closed,
  };
}

if ((import.meta as ImportMeta & { main?: boolean }).main) console.log(JSON.stringify(await servePresets()));
