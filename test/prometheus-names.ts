// The Prometheus names of the demo's fields, as core renders them: what the alert rules and the
// "monitor a fleet" guide (docs/) may name. Computed from the field catalog, so a renamed field
// changes them and fails the docs' tests.
import { toPrometheus, type FieldSample, type FieldType, type FieldKind } from '@runometer/core';
import { CATALOG } from '../tools/catalog.js';

/** The demo's measurement (examples/demo/start.js), whose name the rules in docs/alerts/ carry. */
export const DEMO_MEASUREMENT = 'runometer_demo';

/** The demo's own field, which no preset declares: the meter's faults (`meter.errorCount`). */
export const RENDER_ERRORS = { key: 'render_errors_total', type: 'integer', kind: 'counter' } as const satisfies {
  key: string;
  type: FieldType;
  kind: FieldKind;
};

/**
 * The field behind each sample name Prometheus scrapes from a meter named `measurement` with every
 * numeric catalog field and `render_errors_total`: each rendered alone by core, as a server renders
 * it (a histogram's `_bucket`, `_sum` and `_count` samples each name it).
 */
export function fieldsBySampleName(measurement: string): Map<string, string> {
  // The Prometheus formats carry no string field (push_last_error).
  const numeric = CATALOG.filter((entry) => entry.type !== 'string');
  return new Map(
    [...numeric, RENDER_ERRORS].flatMap((entry) => {
      const { key, type, kind } = entry;
      const buckets = 'buckets' in entry ? entry.buckets : undefined;
      const sample: FieldSample =
        buckets === undefined
          ? { spec: { key, escapedKey: key, type, kind }, value: 0 }
          : { spec: { key, escapedKey: key, type, kind, buckets }, value: { counts: new Array(buckets.length + 1).fill(0), sum: 0 } };
      const body = toPrometheus({ measurement, points: [{ tags: [], fields: [sample] }] });
      const names = new Set(body.split('\n').flatMap((text) => (text === '' || text.startsWith('#') ? [] : [text.split(/[ {]/)[0]!])));
      // A histogram's family name is also the one series Prometheus stores for it from native buckets.
      if (kind === 'histogram') names.add(/^# TYPE (\S+) histogram$/m.exec(body)![1]!);
      if (names.size === 0) throw new Error(`${key} has no sample in the Prometheus format:\n${body}`);
      return [...names].map((name) => [name, key] as const);
    }),
  );
}

/** Keywords, and the number literals spelt as words (`histogram_fraction(-Inf, 0.3, …)`). */
const PROMQL_WORDS = new Set(['and', 'or', 'unless', 'bool', 'Inf', 'NaN']);

/** The metric names of a PromQL expression: its identifiers that are no function, keyword, label or duration. */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\boffset\s+\w+/g, '');
  return [...bare.matchAll(/(?<![\w.:])[a-zA-Z_:][\w:]*(?![\w:]|\s*\()/g)].map(([name]) => name).filter((name) => !PROMQL_WORDS.has(name));
}
