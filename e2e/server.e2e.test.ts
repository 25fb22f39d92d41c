import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve, type ServerHandle } from '@runometer/server-hono';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseLines } from '@runometer/core/format';
import { startInfluxDB, type InfluxDB } from './influxdb.js';
import { promtoolCheckMetrics, startPrometheus } from './prometheus.js';
import { readmeBlock } from './readme.js';

let meter: Runometer;
let server: ServerHandle;

beforeAll(async () => {
  meter = new Runometer('e2e').addTag('app', 'runometer e2e').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
  server = await serve(meter, { port: 0 });
});

afterAll(async () => {
  await server?.close();
  await meter?.close();
});

const scrape = async (format: string) => (await fetch(`http://127.0.0.1:${server.port}/?format=${format}`)).text();

describe('InfluxDB 1.6 takes what the server serves', () => {
  let influx: InfluxDB;
  beforeAll(async () => {
    influx = await startInfluxDB();
    await influx.query('e2e', 'CREATE DATABASE e2e');
  });
  afterAll(async () => {
    await influx?.stop();
  });

  test("scraped as the README's Telegraf block says, a body is written whole and every value of its first line read back", async () => {
    const telegraf = readmeBlock('telegraf');
    const setting = (name: string) => new RegExp(`^\\s*${name} = (.+)$`, 'm').exec(telegraf)?.[1];
    expect([setting('urls'), setting('method'), setting('data_format')]).toEqual(['["http://127.0.0.1:8890/"]', '"GET"', '"influx"']);
    const url = JSON.parse(setting('urls')!)[0].replace(':8890', `:${server.port}`);
    // What Telegraf's HTTP client sends: no Accept, gzip welcome (fetch decompresses, as Go does).
    const response = await fetch(url, { method: 'GET', headers: { 'User-Agent': 'Telegraf', 'Accept-Encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const body = await response.text();
    const { status, text } = await influx.write('e2e', body);
    expect({ status, text }).toEqual({ status: 204, text: '' });

    const [main] = parseLines(body);
    const [result] = await influx.query(
      'e2e',
      // The meter's own line: no series' tag, and no histogram bucket's le.
      'SELECT * FROM e2e WHERE "space" = \'\' AND "resource_type" = \'\' AND "gc_kind" = \'\' AND "le" = \'\' GROUP BY *',
      {
        exactIntegers: true,
      },
    );
    const [series] = result!.series!;
    expect(series!.tags).toMatchObject(main!.tags);
    const stored = Object.fromEntries(series!.columns.map((column, i) => [column, series!.values[0]![i]]));
    for (const [key, parsed] of Object.entries(main!.fields)) {
      expect([key, parsed.type === 'integer' ? BigInt(stored[key] as string | number) : stored[key]]).toEqual([key, parsed.value]);
    }
  });
});

describe('Prometheus takes what the server serves', () => {
  test('promtool check metrics passes on the Prometheus text body', async () => {
    expect(promtoolCheckMetrics(await scrape('prometheus'))).toEqual({ status: 0, output: '' });
  });

  // What the README says of promtool: it reads every body as the text format 0.0.4.
  test("promtool check metrics misreads /metrics' OpenMetrics as the text format, and cannot parse what curl gets there", async () => {
    const metrics = (accept: string) => fetch(`http://127.0.0.1:${server.port}/metrics`, { headers: { accept } });
    const openMetrics = await metrics('application/openmetrics-text;version=1.0.0');
    expect(openMetrics.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    const { status, output } = promtoolCheckMetrics(await openMetrics.text());
    expect(status).toBe(3);
    const complaints = output.split('\n');
    expect(complaints.length).toBeGreaterThan(5);
    expect(complaints.filter((line) => !/^e2e_\w+_total no help text$/.test(line))).toEqual([]);
    // curl's Accept: */*: line protocol.
    expect(promtoolCheckMetrics(await (await metrics('*/*')).text())).toMatchObject({
      status: 1,
      output: expect.stringContaining('text format parsing error in line 1: expected float as value'),
    });
  });

  test("a real Prometheus with the README's scrape config (it asks for OpenMetrics) stores the series", async () => {
    const config = readmeBlock('prometheus');
    expect(config).toContain("- targets: ['127.0.0.1:8890']");
    // No metrics_path: Prometheus scrapes its default, /metrics, which serve() answers.
    expect(config).not.toContain('metrics_path');
    // The same configuration, pointed at this server, scraping every second rather than 15.
    const prometheus = await startPrometheus(
      config.replace('127.0.0.1:8890', `127.0.0.1:${server.port}`).replace('scrape_interval: 15s', 'scrape_interval: 1s'),
    );
    try {
      let rss: Awaited<ReturnType<typeof prometheus.query>> = [];
      let cpu: typeof rss = [];
      // Scrapes come every second; give it up to 15 s.
      for (let attempt = 0; attempt < 60 && (rss.length === 0 || cpu.length === 0); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        rss = await prometheus.query('e2e_rss_bytes');
        cpu = await prometheus.query('e2e_cpu_seconds_total');
      }
      expect(rss).toHaveLength(1);
      expect(rss[0]!.metric).toMatchObject({ __name__: 'e2e_rss_bytes', app: 'runometer e2e', runtime: 'node', job: 'runometer' });
      expect(Number(rss[0]!.value[1])).toBeGreaterThan(0);
      expect(cpu).toHaveLength(1);
      const spaces = await prometheus.query('e2e_space_size_bytes');
      expect(spaces.map((s) => s.metric['space'])).toContain('old_space');
      const up = await prometheus.query('up');
      expect(up.map((s) => s.value[1])).toEqual(['1']);
    } finally {
      await prometheus.stop();
    }
  });
});
