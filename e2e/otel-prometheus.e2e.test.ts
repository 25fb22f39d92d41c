import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { otelField, type OtelField } from '@runometer/otel';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { catalogEntry } from '../tools/catalog.js';
import { launch, type Runtime } from '../tools/runtimes.js';
import { expectedKeys } from '../test/expected-fields.js';
import { buildPackages, knownRuntime } from '../test/runtimes.js';
import { freePort } from './ports.js';
import { promtoolCheckMetrics, startPrometheus, type Prometheus } from './prometheus.js';
import { startServer, type ServerProcess } from './server-process.js';

// OpenTelemetry's own Prometheus exporter carrying @runometer/otel's producer (e2e/otel-exporter.js),
// on Node, Bun and Deno, scraped by a real Prometheus 2.42: every field of the four presets that
// the runtime measures arrives as a family of the type and unit its OpenTelemetry metric has, and
// promtool parses the exposition (and lints one semantic-conventions name, below).

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNTIMES: readonly Runtime[] = ['node', 'bun', 'deno'];
const MEASUREMENT = 'otel';

/** The family OpenTelemetry's Prometheus exporter writes a metric as: `.` and the like become `_`, a monotonic sum ends in `_total`. */
function family(field: OtelField): string {
  const name = field.name.replace(/[^a-z0-9_]/gi, '_').replace(/_{2,}/g, '_');
  return field.instrument === 'counter' && !name.endsWith('_total') ? `${name}_total` : name;
}

const PROMETHEUS_TYPE = { gauge: 'gauge', updowncounter: 'gauge', counter: 'counter', histogram: 'histogram' } as const;

interface Expected {
  readonly family: string;
  readonly type: string;
  readonly unit: string;
  readonly samples: readonly string[];
}

/** What each field `runtime` surely measures becomes in the exposition, by family (two fields may share one: `process.cpu.time`). */
function expectedFamilies(runtime: Runtime): Map<string, Expected> {
  const { fields, series } = expectedKeys(knownRuntime(runtime));
  const families = new Map<string, Expected>();
  for (const key of [...fields, ...Object.values(series).flat()]) {
    const field = otelField(MEASUREMENT, catalogEntry(key));
    if (field === undefined) continue;
    const name = family(field);
    const samples = field.instrument === 'histogram' ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name];
    families.set(name, { family: name, type: PROMETHEUS_TYPE[field.instrument], unit: field.unit, samples });
  }
  return families;
}

/** The `# TYPE` and `# UNIT` of every family of an exposition. */
function metadata(body: string): Map<string, { type?: string; unit?: string }> {
  const families = new Map<string, { type?: string; unit?: string }>();
  for (const [, kind, name, value] of body.matchAll(/^# (TYPE|UNIT) (\S+) (.*)$/gm)) {
    const entry = families.get(name!) ?? {};
    entry[kind === 'TYPE' ? 'type' : 'unit'] = value!;
    families.set(name!, entry);
  }
  return families;
}

const exporters = new Map<Runtime, { url: string; process: ServerProcess }>();
let prometheus: Prometheus;

beforeAll(async () => {
  await buildPackages();
  for (const runtime of RUNTIMES) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/metrics`;
    const [command, ...args] = launch(runtime, join(root, 'e2e/otel-exporter.js'));
    const process = await startServer({
      name: `otel-exporter.js on ${runtime}`,
      command,
      args: [...args, String(port), MEASUREMENT],
      dir: mkdtempSync(join(tmpdir(), 'runometer-otel-')),
      ready: async () => (await fetch(url)).status === 200,
    });
    exporters.set(runtime, { url, process });
  }
  const jobs = [...exporters].map(
    ([runtime, { url }]) => `  - job_name: ${runtime}\n    static_configs:\n      - targets: ['${new URL(url).host}']\n`,
  );
  prometheus = await startPrometheus(`global:\n  scrape_interval: 1s\nscrape_configs:\n${jobs.join('')}`);
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await Promise.all([...exporters.values()].map(({ process }) => process.stop()));
});

describe.each(RUNTIMES)('on %s', (runtime) => {
  test("the exposition has every field's family with its type and unit, and promtool parses it", async () => {
    const body = await (await fetch(exporters.get(runtime)!.url)).text();
    // promtool parses the exposition, and lints one name: the semantic conventions' name of open
    // file descriptors ends in `.count`, which Prometheus keeps for a histogram's or summary's
    // samples. Kept: OpenTelemetry pipelines look for it by that name (packages/otel/README.md).
    expect(promtoolCheckMetrics(body)).toEqual({
      status: 3,
      output: 'process_unix_file_descriptor_count non-histogram and non-summary metrics should not have "_count" suffix',
    });
    const written = metadata(body);
    const expected = [...expectedFamilies(runtime).values()];
    expect(expected.map(({ family }) => family)).toContain('process_cpu_time_total');
    expect(
      expected.filter(({ family, type, unit }) => {
        const found = written.get(family);
        return found?.type !== type || (found.unit ?? '') !== unit;
      }),
    ).toEqual([]);
  });

  test("Prometheus 2.42 scrapes every field's samples, with the type it has, the meter's tag and the semantic attributes as labels", async () => {
    const job = `job="${runtime}"`;
    const expected = [...expectedFamilies(runtime).values()];
    let names = new Set<string>();
    for (let attempt = 0; attempt < 80 && !expected.every(({ samples }) => samples.every((sample) => names.has(sample))); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      names = new Set((await prometheus.query(`count by (__name__) ({${job}, app="otel"})`)).map(({ metric }) => metric['__name__']!));
    }
    expect(expected.flatMap(({ samples }) => samples).filter((sample) => !names.has(sample))).toEqual([]);

    const response = await fetch(`${prometheus.url}/api/v1/targets/metadata?${new URLSearchParams({ match_target: `{${job}}` })}`);
    const { data } = (await response.json()) as { data: { metric: string; type: string }[] };
    const types = new Map(data.map(({ metric, type }) => [metric, type]));
    expect(expected.filter(({ family, type }) => types.get(family) !== type).map(({ family }) => family)).toEqual([]);

    const cpu = await prometheus.query(`process_cpu_time_total{${job}}`);
    expect(cpu.map(({ metric }) => metric['cpu_mode']).sort()).toEqual(['system', 'user']);
    const spaces = await prometheus.query(`count by (v8js_heap_space_name) (v8js_memory_heap_used{${job}})`);
    const heapSpaces = expectedFamilies(runtime).has('v8js_memory_heap_used');
    expect(spaces.some(({ metric }) => metric['v8js_heap_space_name'] === 'old_space')).toBe(heapSpaces);
  });
});
