// Serves the four presets with @runometer/server-hono on an ephemeral loopback port in whatever
// runtime runs this file, scrapes it once per format with fetch, stops it, and prints what it saw.
import { Runometer, detectRuntime } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve } from '@runometer/server-hono';

export interface ServedOutput {
  runtime: string;
  url: string;
  responses: { format: string; status: number; contentType: string | null; firstLine: string }[];
  closed: boolean;
}

export async function servePresets(): Promise<ServedOutput> {
  const meter = new Runometer('served').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
  const server = await serve(meter, { port: 0 });
  const responses: ServedOutput['responses'] = [];
  for (const format of ['influx', 'prometheus', 'openmetrics', 'json']) {
    const response = await fetch(`http://127.0.0.1:${server.port}/?format=${format}`);
    responses.push({ format, status: response.status, contentType: response.headers.get('content-type'), firstLine: (await response.text()).split('\n')[0]!.slice(0, 120) });
  }
  await server.close();
  const closed = await fetch(`http://127.0.0.1:${server.port}/`).then(
    () => false,
    () => true,
  );
  await meter.close();
  return { runtime: detectRuntime().name, url: server.url.replace(String(server.port), 'PORT'), responses, closed };
}

if ((import.meta as ImportMeta & { main?: boolean }).main) console.log(JSON.stringify(await servePresets()));
