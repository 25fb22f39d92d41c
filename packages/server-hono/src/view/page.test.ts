import { FIELD_UNITS, Runometer } from '@runometer/core';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { GENERATED, generatedModule } from '../../scripts/build-view.js';
import { PAGE_AFTER_CONFIG, PAGE_BEFORE_CONFIG } from './page.generated.js';
import { POLL_INTERVAL, POLL_WINDOW, VIEW_PAGE } from './page.js';

/** A meter of 300 fields with long help, more than the four presets together declare. */
function largeMeter(): Runometer {
  const meter = new Runometer('app').addTag('host', 'h1');
  for (let i = 0; i < 300; i++) {
    meter.addField(`field_${i}_bytes`, () => i, {
      type: 'integer',
      help: `What field ${i} measures, said in a line as a preset's help is.`,
    });
  }
  return meter;
}

/** The config the page carries, as its script reads it. */
function configOf(page: string): unknown {
  const config = /<script id="runometer-view" type="application\/json">(.*?)<\/script>/s.exec(page)?.[1];
  return JSON.parse(config!);
}

describe('the live view page', () => {
  test('src/view/page.generated.ts is what scripts/build-view.js builds from view/ now: run `npm run build:view -w @runometer/server-hono`', async () => {
    expect(readFileSync(GENERATED, 'utf8')).toBe(await generatedModule());
  }, 30_000);

  test('is under 100 KB gzipped, for a meter of 300 fields', async () => {
    const meter = largeMeter();
    const page = VIEW_PAGE.render(await meter.collect());
    await meter.close();
    expect(gzipSync(page).length).toBeLessThan(100 * 1024);
  });

  test('loads nothing: no script, style, image or font from elsewhere', () => {
    const page = PAGE_BEFORE_CONFIG + PAGE_AFTER_CONFIG;
    expect(page.match(/\bsrc\s*=|\bhref\s*=\s*"(?!data:)|@import|url\(/gi)).toBeNull();
  });

  test("carries the render's fields, core's units, the runtime it is served by and how to poll", async () => {
    const meter = new Runometer('app').addField('requests', () => 1, { type: 'integer', kind: 'counter', help: 'Requests served.' });
    const page = VIEW_PAGE.render(await meter.collect());
    await meter.close();
    expect(configOf(page)).toEqual({
      fields: [{ key: 'requests', type: 'integer', kind: 'counter', help: 'Requests served.' }],
      units: FIELD_UNITS,
      servedBy: `node ${process.versions.node}`,
      interval: POLL_INTERVAL,
      window: POLL_WINDOW,
    });
  });

  test('a help text with "</script>" cannot end the config early', async () => {
    const help = '</script><script>alert(1)</script>';
    const meter = new Runometer('app').addField('x', () => 1, { help });
    const page = VIEW_PAGE.render(await meter.collect());
    await meter.close();
    expect(page.split('</script>')).toHaveLength(3);
    expect(configOf(page)).toMatchObject({ fields: [{ key: 'x', help }] });
  });
});
