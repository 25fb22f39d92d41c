// The live view in a real headless Chromium (Debian's `chromium`, which .ci/run installs), driven
// by playwright-core: the page loads, asks for credentials, draws charts that move with each poll,
// and fetches nothing but its polls, under its Content-Security-Policy (which Chromium enforces:
// a page whose script is changed by one byte runs nothing) without one violation of it; no other
// site can frame it; the value axes never repeat a tick. A screenshot goes to e2e/output/live-view.png at every run;
// with RUNOMETER_UPDATE_SCREENSHOT=1 it also replaces the copy the server's README shows.
import { catalogOf, HistogramRecorder, Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { serve, type ServerHandle } from '@runometer/server-hono';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch } from '../tools/runtimes.js';
import { freePort } from './ports.js';
import { startServer, type ServerProcess } from './server-process.js';
import { buildPackages } from '../test/runtimes.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(root, 'e2e/output/live-view.png');
const README_SCREENSHOT = join(root, 'packages/server-hono/docs/live-view.png');
const CREDENTIALS = { username: 'ops', password: 'open sesame' };

let browser: Browser;
let meter: Runometer;
let server: ServerHandle;
let steady = 0;
const waits = new HistogramRecorder([0.025, 0.1, 0.5]);

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  browser = await chromium.launch({ executablePath: CHROMIUM });
  meter = new Runometer('node')
    .addTag('app', 'checkout')
    .use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset)
    .addField('ready', () => true, { type: 'boolean', help: 'Whether the app takes requests.' })
    // Own fields, so without a unit: a chart of zeros (an axis from 0 to 1, not uPlot's 0 to 100),
    // and one that barely moves (4.3 billion, give or take a thousand: distinct ticks all the same).
    .addField('zeros', () => 0)
    .addField('steady', () => 4_335_769_485 + (steady++ % 3) * 1000)
    // A histogram that observes 10 ms, 50 ms and 400 ms before each render.
    .addField(
      'wait_seconds',
      () => {
        for (const seconds of [0.01, 0.05, 0.4]) waits.record(seconds);
        return waits.snapshot();
      },
      { kind: 'histogram', buckets: waits.bounds, help: 'Wait, in seconds.' },
    )
    .addSeries(
      'queues',
      () => [
        { tags: { queue: 'mail' }, fields: { depth: 3 } },
        { tags: { queue: 'sms' }, fields: { depth: 1 } },
      ],
      {
        tags: ['queue'],
        fields: { depth: { type: 'integer', help: 'Messages waiting.' } },
      },
    );
  server = await serve(meter, { port: 0, auth: CREDENTIALS });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await meter?.close();
});

/** What the page does that a test must see: console errors, uncaught errors, every request it makes, and every violation of its Content-Security-Policy. */
function watch(page: Page) {
  const seen = {
    errors: [] as string[],
    requests: [] as string[],
    violations: () => page.evaluate(() => (window as unknown as { violations: string[] }).violations),
  };
  // An init script runs before the page's own, outside its policy: it sees every violation.
  void page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { violations: string[] }).violations = violations;
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`));
  });
  page.on('console', (message) => {
    if (message.type() === 'error') seen.errors.push(message.text());
  });
  page.on('pageerror', (error) => seen.errors.push(String(error)));
  page.on('request', (request) =>
    seen.requests.push(`${request.method()} ${request.url()} ${request.resourceType()} ${request.headers()['accept'] ?? ''}`),
  );
  return seen;
}

/** The number of polls a chart holds (its series' points) and of lines it draws, by field. */
const chartData = (page: Page, field: string) =>
  page.$eval(`.chart[data-field="${field}"]`, (chart) => ({
    points: Number((chart as HTMLElement).dataset.points),
    lines: Number((chart as HTMLElement).dataset.lines),
  }));

const pointsReach = (page: Page, field: string, points: number) =>
  page.waitForFunction(
    ([name, count]) => Number(document.querySelector<HTMLElement>(`.chart[data-field="${name}"]`)?.dataset.points) >= count,
    [field, points] as const,
    {
      timeout: 20_000,
    },
  );

describe('the live view in headless Chromium', () => {
  test('asks for credentials: a basic challenge, which headless Chromium, having none to give, ends the navigation on', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const answers: [number, string | undefined][] = [];
    page.on('response', (response) => answers.push([response.status(), response.headers()['www-authenticate']]));
    // A browser with a window prompts here, and sends what the user typed with the page's polls.
    await expect(page.goto(`${server.url}view`)).rejects.toThrow(/net::ERR_INVALID_AUTH_CREDENTIALS/);
    expect(answers).toEqual([[401, 'Basic realm="Secure Area"']]);
    await context.close();
  });

  describe('with credentials', () => {
    let context: BrowserContext;
    let page: Page;
    let seen: ReturnType<typeof watch>;
    let headers: Record<string, string>;

    beforeAll(async () => {
      context = await browser.newContext({ httpCredentials: CREDENTIALS, viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
      seen = watch(page);
      const response = await page.goto(`${server.url}view`);
      expect([response?.status(), response?.headers()['content-type']]).toEqual([200, 'text/html; charset=utf-8']);
      headers = response!.headers();
    });

    afterAll(async () => {
      await context?.close();
    });

    test('charts appear after the first poll and move with the next two: one more point each', async () => {
      await pointsReach(page, 'heap_used_bytes', 1);
      const first = await chartData(page, 'heap_used_bytes');
      await pointsReach(page, 'heap_used_bytes', first.points + 2);
      expect(await chartData(page, 'heap_used_bytes')).toEqual({ points: first.points + 2, lines: 1 });
      // A counter is charted as its rate: its first poll has none yet, and it moves with the rest.
      expect((await chartData(page, 'cpu_seconds_total')).points).toBeGreaterThanOrEqual(first.points + 2);
      mkdirSync(join(root, 'e2e/output'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      if (process.env['RUNOMETER_UPDATE_SCREENSHOT'] === '1') copyFileSync(SCREENSHOT, README_SCREENSHOT);
    });

    test("grouped by preset, the catalog's unit in each title and its help on hover", async () => {
      const heap = catalogOf(MemoryPreset).find((entry) => entry.key === 'heap_used_bytes')!;
      const title = await page.$eval('section[data-preset="memory"] .chart[data-field="heap_used_bytes"] h3', (h3) => ({
        text: h3.textContent,
        hover: (h3 as HTMLElement).title,
      }));
      expect(title).toEqual({ text: 'heap_used_bytes (bytes)', hover: `${heap.help}\nUnit: bytes.` });
      const cpu = await page.$eval('section[data-preset="other"] .chart[data-field="cpu_seconds_total"] h3', (h3) => h3.textContent);
      expect(cpu).toBe('cpu_seconds_total (seconds per second)');
    });

    test("the meter's tags and the runtime on top", async () => {
      const tags = await page.$$eval('#tags div', (pairs) =>
        pairs.map((pair) => `${pair.querySelector('dt')!.textContent}=${pair.querySelector('dd')!.textContent}`),
      );
      expect(tags).toEqual(
        expect.arrayContaining([
          'app=checkout',
          'runtime=node',
          `runtime_version=${process.versions.node}`,
          `served by=node ${process.versions.node}`,
        ]),
      );
      expect(await page.textContent('#measurements')).toBe('node');
    });

    test('a series charts one line per tag set; a boolean is shown, not charted', async () => {
      expect((await chartData(page, 'queues depth')).lines).toBe(2);
      expect(
        await page.$$eval('.chart[data-field="queues depth"] .u-legend .u-series th', (cells) => cells.map((cell) => cell.textContent)),
      ).toEqual(['Time', 'queue=mail', 'queue=sms']);
      expect(await page.textContent('dd[data-field="ready"]')).toBe('true');
      expect(await page.$$('.chart[data-field="ready"]')).toHaveLength(0);
    });

    test('a histogram charts p50, p90 and p99 of what it observed between two polls, from its buckets', async () => {
      await pointsReach(page, 'wait_seconds', 3);
      expect((await chartData(page, 'wait_seconds')).lines).toBe(3);
      expect(
        await page.$$eval('.chart[data-field="wait_seconds"] .u-legend .u-series th', (cells) => cells.map((cell) => cell.textContent)),
      ).toEqual(['Time', 'p50', 'p90', 'p99']);
      expect(await page.$eval('.chart[data-field="wait_seconds"] h3', (h3) => (h3 as HTMLElement).title)).toBe(
        'Wait, in seconds.\nA histogram, charted as the p50, p90, p99 of what it observed between two polls, from its buckets.',
      );
    });

    test('fetched nothing but the page and its JSON polls of its own URL; no console errors', async () => {
      const url = `${server.url}view`;
      const [navigation, ...polls] = seen.requests;
      expect(navigation?.startsWith(`GET ${url} document text/html,`)).toBe(true);
      expect(polls.length).toBeGreaterThanOrEqual(3);
      expect(new Set(polls)).toEqual(new Set([`GET ${url} fetch application/json`]));
      expect(seen.errors).toEqual([]);
    });

    test('ran under its Content-Security-Policy without a violation of it', async () => {
      expect([headers['x-content-type-options'], headers['x-frame-options'], headers['content-security-policy']]).toEqual([
        'nosniff',
        'DENY',
        expect.stringContaining("default-src 'none'"),
      ]);
      await pointsReach(page, 'heap_used_bytes', 2);
      expect(await seen.violations()).toEqual([]);
    });

    test("the value axes: no chart's ticks read the same twice; a chart of zeros spans 0 to 1", async () => {
      await pointsReach(page, 'steady', 3);
      const ticks = await page.$$eval('.chart[data-ticks]', (charts) =>
        charts.map((chart) => [(chart as HTMLElement).dataset.field!, (chart as HTMLElement).dataset.ticks!.split('|')] as const),
      );
      expect(ticks.length).toBeGreaterThan(20);
      expect(ticks.filter(([, labels]) => new Set(labels).size !== labels.length)).toEqual([]);
      const byField = new Map(ticks);
      expect(byField.get('zeros')).toEqual(['0.0', '0.5', '1.0']);
      expect(byField.get('steady')!.length).toBeGreaterThan(1);
    });
  });

  test("Chromium enforces the page's policy: with its script changed by one byte, the script does not run", async () => {
    const context = await browser.newContext({ httpCredentials: CREDENTIALS });
    const page = await context.newPage();
    const seen = watch(page);
    await page.route(`${server.url}view`, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, body: (await response.text()).replace('<script>', '<script> ') });
    });
    await page.goto(`${server.url}view`);
    await page.waitForFunction(() => (window as unknown as { violations: string[] }).violations.length > 0, undefined, { timeout: 10_000 });
    expect(await seen.violations()).toEqual(['script-src-elem inline']);
    expect(await page.textContent('#status')).toBe('Waiting for the first poll…');
    await context.close();
  });

  test('no other page can frame it', async () => {
    const context = await browser.newContext({ httpCredentials: CREDENTIALS });
    const page = await context.newPage();
    const refused: string[] = [];
    page.on('console', (message) => refused.push(message.text()));
    await page.setContent(`<iframe src="${server.url}view"></iframe>`);
    await expect.poll(() => refused.some((text) => text.includes('frame-ancestors')), { timeout: 10_000 }).toBe(true);
    expect(await page.frames()[1]?.$('#presets')).toBeNull();
    await context.close();
  });

  test('at the endpoint itself, a browser gets the page, which polls the endpoint', async () => {
    const context = await browser.newContext({ httpCredentials: CREDENTIALS });
    const page = await context.newPage();
    const seen = watch(page);
    const response = await page.goto(`${server.url}metrics`);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    await pointsReach(page, 'rss_bytes', 1);
    expect(seen.requests.slice(1)).toContain(`GET ${server.url}metrics fetch application/json`);
    expect(seen.errors).toEqual([]);
    await context.close();
  });
});

describe("@runometer/cluster's aggregate: a primary and two workers", () => {
  let cluster: ServerProcess;
  let url: string;

  beforeAll(async () => {
    // Node runs the cluster over the built packages, as the fleet does.
    await buildPackages();
    const port = await freePort();
    url = `http://127.0.0.1:${port}/`;
    const [command, ...args] = launch('node', join(root, 'e2e/fleet-cluster.js'));
    cluster = await startServer({
      name: `the clustered instance on ${url}`,
      command,
      args: [...args, String(port), 'node', 'checkout'],
      dir: mkdtempSync(join(tmpdir(), 'runometer-view-cluster-')),
      // Ready once both workers answer: three lines with a heap.
      ready: async () => ((await (await fetch(url)).text()).match(/[ ,]heap_used_bytes=/g) ?? []).length === 3,
    });
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  test('each chart draws a line per worker, labelled by the tags that tell them apart', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = watch(page);
    await page.goto(`${url}view`);
    await pointsReach(page, 'heap_used_bytes', 2);
    expect((await chartData(page, 'heap_used_bytes')).lines).toBe(3);
    const labels = await page.$$eval('.chart[data-field="heap_used_bytes"] .u-legend .u-series th', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(labels.slice(1).map((label) => label!.replace(/pid=\d+/, 'pid=…'))).toEqual([
      'pid=…, worker=primary',
      'pid=…, worker=1',
      'pid=…, worker=2',
    ]);
    // The primary's own counts, from ClusterPreset: charted with the catalog's unit.
    expect(await page.textContent('.chart[data-field="cluster_workers_answered"] h3')).toBe('cluster_workers_answered (count)');
    expect(seen.errors).toEqual([]);
    await context.close();
  });
});
