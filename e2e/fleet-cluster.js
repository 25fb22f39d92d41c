// The fleet's clustered instance: a node:cluster primary with two workers, each with the demo's
// meter (the four presets); the primary serves every worker's lines and its own through
// @runometer/cluster's clusterSource on 127.0.0.1:PORT, each worker reports with reportToPrimary.
// Usage: node e2e/fleet-cluster.js PORT MEASUREMENT APP
import cluster from 'node:cluster';
import { clusterSource, reportToPrimary } from '@runometer/cluster';
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve } from '@runometer/server-hono';

const WORKERS = 2;
const [port, measurement, app] = process.argv.slice(2);
if (!/^\d+$/.test(port ?? '') || !measurement || !app) {
  throw new Error(`usage: fleet-cluster.js PORT MEASUREMENT APP (got ${JSON.stringify(process.argv.slice(2))})`);
}

const meter = new Runometer(measurement).addTag('app', app).use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);

if (cluster.isPrimary) {
  for (let i = 0; i < WORKERS; i++) cluster.fork();
  const source = clusterSource(meter);
  const server = await serve(source, { port: Number(port) });
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
    process.once(signal, async () => {
      await server.close();
      source.close();
      await meter.close();
      cluster.disconnect(() => process.exit(0));
    });
  }
} else {
  const reporting = reportToPrimary(meter);
  // The primary's disconnect ends the worker.
  process.once('disconnect', async () => {
    reporting.close();
    await meter.close();
  });
}
