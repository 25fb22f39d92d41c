import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CATALOG } from '../../../tools/catalog.js';
import { fits, otelField, unitFits } from './otel-field.js';
import { SEMANTIC_NAMES } from './semantic-names.js';

/**
 * Every metric name `@opentelemetry/semantic-conventions` declares, with whether its declaration
 * is marked deprecated (`@deprecated Replaced by …` in its JSDoc).
 */
function conventions(): Map<string, { deprecated: boolean }> {
  const dist = dirname(createRequire(import.meta.url).resolve('@opentelemetry/semantic-conventions'));
  const names = new Map<string, { deprecated: boolean }>();
  for (const file of ['stable_metrics.d.mts', 'experimental_metrics.d.mts']) {
    const text = readFileSync(join(dist, file), 'utf8');
    for (const [, doc, name] of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*declare const METRIC_\w+: "([^"]+)";/g)) {
      names.set(name!, { deprecated: doc!.includes('@deprecated') });
    }
  }
  return names;
}

const entries = Object.entries(SEMANTIC_NAMES);

describe('SEMANTIC_NAMES, against the field catalog', () => {
  test.each(entries)('%s is a field of the catalog whose kind and unit the mapping keeps', (key, semantic) => {
    const field = CATALOG.find((entry) => entry.key === key);
    if (field === undefined) expect.fail(`no preset declares a field "${key}": rename it in SEMANTIC_NAMES, or take it out`);
    expect(fits(field.kind, semantic.instrument), `a ${field.kind} cannot be an OpenTelemetry ${semantic.instrument}`).toBe(true);
    expect(unitFits(field.unit, semantic.unit), `unit ${field.unit} is not ${semantic.unit}`).toBe(true);
    const tags = Object.keys(semantic.tags ?? {});
    expect(tags.filter((tag) => !(field.seriesTags ?? []).includes(tag))).toEqual([]);
  });

  test('fields of one name are one instrument in one unit, told apart by their attributes', () => {
    for (const name of new Set(entries.map(([, semantic]) => semantic.name))) {
      const group = entries.filter(([, semantic]) => semantic.name === name);
      if (group.length === 1) continue;
      expect(new Set(group.map(([, { instrument, unit }]) => `${instrument} ${unit}`)).size, name).toBe(1);
      const attributes = group.map(([, semantic]) => JSON.stringify(semantic.attributes ?? {}));
      expect(new Set(attributes).size, name).toBe(group.length);
    }
  });
});

describe('SEMANTIC_NAMES, against the semantic conventions', () => {
  const declared = conventions();

  test('the conventions package declares metric names, some deprecated (what the next test reads)', () => {
    expect(declared.get('http.server.request.duration')).toEqual({ deprecated: false });
    expect(declared.get('v8js.memory.heap.limit')).toEqual({ deprecated: true });
  });

  test.each(entries)('%s takes a name the conventions declare, not deprecated', (_key, { name }) => {
    expect(declared.get(name)).toEqual({ deprecated: false });
  });
});

describe('otelField', () => {
  test('a field of the mapping takes its semantic name, unit and attributes', () => {
    expect(
      otelField('node', { key: 'cpu_user_seconds_total', type: 'float', kind: 'counter', help: 'User CPU.', unit: 'seconds' }),
    ).toEqual({
      name: 'process.cpu.time',
      instrument: 'counter',
      unit: 's',
      description: 'User CPU.',
      integer: false,
      attributes: { 'cpu.mode': 'user' },
      tags: {},
      semantic: true,
    });
  });

  test("any other field keeps the meter's name, its unit in UCUM and an instrument of its kind", () => {
    expect(otelField('node', { key: 'heap_used_bytes', type: 'integer', kind: 'gauge', unit: 'bytes' })).toEqual({
      name: 'node.heap_used_bytes',
      instrument: 'gauge',
      unit: 'By',
      description: 'heap_used_bytes of node',
      integer: true,
      attributes: {},
      tags: {},
      semantic: false,
    });
    expect(otelField('app', { key: 'wait_seconds', type: 'float', kind: 'histogram', buckets: [0.1, 1], unit: 'seconds' })).toMatchObject({
      name: 'app.wait_seconds',
      instrument: 'histogram',
      buckets: [0.1, 1],
    });
    expect(otelField('app', { key: 'ok', type: 'boolean', kind: 'gauge' })).toMatchObject({
      name: 'app.ok',
      instrument: 'gauge',
      unit: '',
    });
  });

  test('a field of a mapped key whose kind does not fit keeps its own name; a string field is no metric', () => {
    expect(otelField('app', { key: 'rss_bytes', type: 'integer', kind: 'counter' })).toMatchObject({
      name: 'app.rss_bytes',
      instrument: 'counter',
    });
    expect(otelField('app', { key: 'last_error', type: 'string', kind: 'gauge' })).toBeUndefined();
  });

  test('characters OpenTelemetry does not take in a name become _', () => {
    expect(otelField('my app', { key: 'queue depth=1', type: 'float', kind: 'gauge' })?.name).toBe('my_app.queue_depth_1');
  });
});
