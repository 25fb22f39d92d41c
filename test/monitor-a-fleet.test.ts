import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CATALOG } from '../tools/catalog.js';
import { DEMO_MEASUREMENT, RENDER_ERRORS, fieldsBySampleName } from './prometheus-names.js';

// docs/monitor-a-fleet.md names fields, tags and metrics in code spans: each must exist, so that a
// renamed field fails here until the guide says the new name.

const guideUrl = new URL('../docs/monitor-a-fleet.md', import.meta.url);
const guide = readFileSync(guideUrl, 'utf8');
const rules = ['runometer.rules.yml', 'runometer-slo.rules.yml']
  .map((file) => readFileSync(new URL(`../docs/alerts/${file}`, import.meta.url), 'utf8'))
  .join('\n');

/** The measurements the guide's examples use: the demo's, and the service of its snippets. */
const GUIDE_MEASUREMENTS = [DEMO_MEASUREMENT, 'checkout'];

/** Names in the guide that are not fields: Telegraf's and Prometheus's own, and the other preset's tags. */
const OTHER_NAMES = new Set([
  // Telegraf: the `url` tag of inputs.http, an input's `interval` and `tags`.
  'url',
  'interval',
  'tags',
  // Prometheus: target labels, the `up` series, configuration keys, the alert rules' label.
  'instance',
  'job',
  'exported_instance',
  'up',
  'scrape_interval',
  'file_sd_configs',
  'severity',
  // preset-other's tags.
  'runtime',
  'runtime_version',
  // @runometer/cluster's tags.
  'worker',
  'thread',
]);

const fieldKeys = new Set([...CATALOG.map((entry) => entry.key), RENDER_ERRORS.key]);
const seriesTags = new Set(CATALOG.flatMap((entry) => entry.seriesTags ?? []));
const metricNames = new Set(GUIDE_MEASUREMENTS.flatMap((measurement) => [...fieldsBySampleName(measurement).keys()]));

const prose = guide.replace(/^```[\s\S]*?^```$/gm, '');
const codeSpans = [...prose.matchAll(/`([^`\n]+)`/g)].map(([, span]) => span!);
/** Code spans that are a lower-case name: a field, a tag, a metric or another name of the list above. */
const names = [...new Set(codeSpans.filter((span) => /^[a-z][a-z0-9_]*$/.test(span)))];
const prefixed = new RegExp(`\\b(?:${GUIDE_MEASUREMENTS.join('|')})_[a-z0-9_]+`, 'g');

describe('the "monitor a fleet" guide', () => {
  test('every name in a code span is a catalog field, a series tag, a metric of the demo or a known other name', () => {
    expect(names.length).toBeGreaterThan(0);
    const unknown = names.filter(
      (name) =>
        !fieldKeys.has(name) &&
        !seriesTags.has(name) &&
        !metricNames.has(name) &&
        !GUIDE_MEASUREMENTS.includes(name) &&
        !OTHER_NAMES.has(name),
    );
    expect(unknown).toEqual([]);
  });

  test('every metric name it writes, in prose or in code, is the Prometheus name of a field', () => {
    const written = [...new Set([...guide.matchAll(prefixed)].map(([name]) => name))];
    expect(written.length).toBeGreaterThan(0);
    expect(written.filter((name) => !metricNames.has(name))).toEqual([]);
  });

  test('every other name it uses is used: none of the list is stale', () => {
    expect([...OTHER_NAMES].filter((name) => !names.includes(name))).toEqual([]);
  });

  test('it names every alert of docs/alerts, and no other', () => {
    const alerts = [...new Set([...rules.matchAll(/^\s*- alert: (\w+)$/gm)].map(([, name]) => name!))];
    const named = [...new Set(codeSpans.filter((span) => /^Runometer[A-Z]\w*$/.test(span)))];
    expect(named.sort()).toEqual(alerts.sort());
  });

  test('its relative links lead to files of the repository', () => {
    const links = [...guide.matchAll(/\]\(([^)#:]+)\)/g)].map(([, path]) => path!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((path) => !existsSync(new URL(path, guideUrl)))).toEqual([]);
  });
});
