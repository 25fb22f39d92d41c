import { Runometer, type SnapshotSource } from '@runometer/core';
import { serve, type ServerHandle } from '@runometer/server-hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { promtoolCheckMetrics, startPrometheus } from './prometheus.js';

// Two meters behind one endpoint, through a source written here: what Prometheus makes of it.

const meters = [
  new Runometer('app')
    .addTag('host', 'h1')
    .addField('connections', () => 4, { type: 'integer' })
    .addField('requests', () => 12, { type: 'integer', kind: 'counter' }),
  new Runometer('db').addTag('host', 'h1').addField('connections', () => 9, { type: 'integer' }),
];
const source: SnapshotSource = { name: 'app and db', collect: () => Promise.all(meters.map((meter) => meter.collect())) };
let server: ServerHandle;

beforeAll(async () => {
  server = await serve(source, { port: 0 });
});

afterAll(async () => {
  await server?.close();
  for (const meter of meters) await meter.close();
});

describe('Prometheus takes two meters served through one source', () => {
  test('promtool check metrics passes on the Prometheus text body', async () => {
    const body = await (await fetch(`http://127.0.0.1:${server.port}/?format=prometheus`)).text();
    expect(body).toContain('db_connections{host="h1"} 9');
    expect(promtoolCheckMetrics(body)).toEqual({ status: 0, output: '' });
  });

  test('a real Prometheus scraping /metrics (it asks for OpenMetrics) stores the series of both meters', async () => {
    const prometheus = await startPrometheus(
      [
        'scrape_configs:',
        '  - job_name: two',
        '    scrape_interval: 1s',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${server.port}']`,
        '',
      ].join('\n'),
    );
    try {
      let stored: Awaited<ReturnType<typeof prometheus.query>> = [];
      // Scrapes come every second; give it up to 15 s.
      for (let attempt = 0; attempt < 60 && stored.length < 3; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        stored = await prometheus.query('{__name__=~"app_connections|app_requests_total|db_connections"}');
      }
      expect(Object.fromEntries(stored.map((sample) => [sample.metric['__name__'], sample.value[1]]))).toEqual({
        app_connections: '4',
        app_requests_total: '12',
        db_connections: '9',
      });
    } finally {
      await prometheus.stop();
    }
  });
});
