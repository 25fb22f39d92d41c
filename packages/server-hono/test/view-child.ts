// Serves a meter with serve() on this runtime (Bun.serve, or Deno.serve), opens its live view as a
// browser would, polls it as the page does, and prints what it saw (src/view/routes.test.ts).
import { Runometer } from '@runometer/core';
import { serve } from '@runometer/server-hono';

const CHROME = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const meter = new Runometer('app').addTag('host', 'h1').addField('requests', () => 12, { type: 'integer', kind: 'counter' });
const server = await serve(meter, { port: 0 });
const opened = await fetch(`${server.url}view`, { headers: { Accept: CHROME } });
const page = await opened.text();
const config = JSON.parse(/<script id="runometer-view" type="application\/json">(.*?)<\/script>/s.exec(page)![1]!) as { servedBy: string };
const polled = await fetch(`${server.url}view`, { headers: { Accept: 'application/json' } });
const poll = await polled.json();
await server.close();
await meter.close();
console.log(
  JSON.stringify({ page: [opened.status, opened.headers.get('content-type')], servedBy: config.servedBy, poll: [polled.status, poll] }),
);
