import Fastify from 'fastify';
import { Runometer } from '@runometer/core';
import { HttpPreset } from '@runometer/preset-http';
import { fastifyHttpMetrics } from '@runometer/preset-http/fastify';
import { requestListener } from '@runometer/server-hono';

const meter = new Runometer('node').addTag('app', 'checkout').use(HttpPreset);
const app = Fastify();
await app.register(fastifyHttpMetrics); // applies to every route of the instance, in any plugin
const metrics = requestListener(meter);
app.all('/metrics', (request, reply) => {
  reply.hijack();
  return metrics(request.raw, reply.raw);
});
app.get('/users/:id', async (request) => ({ id: (request.params as { id: string }).id })); // route=/users/:id
await app.listen({ port: 3000 });
