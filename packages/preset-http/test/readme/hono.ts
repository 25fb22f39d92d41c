import { serve } from '@hono/node-server';
import { Runometer } from '@runometer/core';
import { HttpPreset } from '@runometer/preset-http';
import { honoHttpMetrics } from '@runometer/preset-http/hono';
import { metricsApp } from '@runometer/server-hono';
import { Hono } from 'hono';

const meter = new Runometer('node').addTag('app', 'checkout').use(HttpPreset);
const app = new Hono()
  .route('/metrics', metricsApp(meter)) // before the middleware: scrapes are not the app's traffic
  .use(honoHttpMetrics())
  .get('/users/:id', (c) => c.json({ id: c.req.param('id') })); // route=/users/:id
serve({ fetch: app.fetch, port: 3000 }); // or Bun.serve(app), Deno.serve(app.fetch)
