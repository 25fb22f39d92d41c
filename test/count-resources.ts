// Opens a known number of sockets, timers and files in whatever runtime runs this file, and
// prints how much each count the presets report moved, opening and closing them again.
import { Runometer } from '@runometer/core';
import { detectRuntime } from '@runometer/runtime';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const COUNTS = [
  'tcp_sockets',
  'tcp_servers',
  'udp_sockets',
  'pipes',
  'client_sockets_opened_total',
  'server_sockets_accepted_total',
  'sockets_closed_total',
  'active_timers',
  'open_fds',
];
export type Deltas = Record<string, number | 'absent'>;

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

export async function countResources(): Promise<{ runtime: string; opened: Deltas; closed: Deltas }> {
  // Node makes process.stderr (a pipe here, and its descriptor) when it first destroys a socket that
  // has a handle, as this file does: made now, it is in every count rather than in the last.
  void process.stderr;
  const meter = new Runometer('counts').use(SocketsPreset, ThreadsPreset, OtherPreset);
  const read = async () => {
    const [point] = (await meter.collect()).points;
    return Object.fromEntries(point!.fields.map(({ spec, value }) => [spec.key, Number(value)]));
  };
  const deltas = (from: Record<string, number>, to: Record<string, number>): Deltas =>
    Object.fromEntries(COUNTS.map((key) => [key, key in from && key in to ? to[key]! - from[key]! : 'absent']));

  const before = await read();
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => accepted.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const clients = await Promise.all(
    Array.from({ length: 3 }, async () => {
      const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
      await once(client, 'connect');
      return client;
    }),
  );
  while (accepted.length < 3) await turns(1);
  const udp = dgram.createSocket('udp4');
  udp.bind(0, '127.0.0.1');
  await once(udp, 'listening');
  const timers = [setTimeout(() => {}, 600_000), setTimeout(() => {}, 600_000), setInterval(() => {}, 600_000)];
  const fds = [1, 2, 3, 4].map(() => openSync(fileURLToPath(import.meta.url), 'r'));
  const opened = await read();

  for (const socket of [...clients, ...accepted]) socket.destroy();
  await Promise.all([...clients, ...accepted].map((socket) => (socket.destroyed && socket.closed ? undefined : once(socket, 'close'))));
  await Promise.all([once(server.close(), 'close'), once(udp.close(), 'close')]);
  for (const timer of timers) clearTimeout(timer);
  for (const fd of fds) closeSync(fd);
  // libuv lists a handle until its close callback has run, after this turn's immediates.
  await turns(3);
  let closed = await read();
  // Deno frees a closed socket's descriptor on its own time, after the close event (a busy machine
  // has seen two still open): read again, for up to 2 s, until the descriptors are back.
  for (let waited = 0; closed['open_fds'] !== before['open_fds'] && waited < 2000; waited += 20) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    closed = await read();
  }
  await meter.close();
  return { runtime: detectRuntime().name, opened: deltas(before, opened), closed: deltas(before, closed) };
}

if ((import.meta as ImportMeta & { main?: boolean }).main) console.log(JSON.stringify(await countResources()));
