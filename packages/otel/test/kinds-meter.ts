import { HistogramRecorder, Runometer } from '@runometer/core';

/**
 * A meter of every kind of field: a float gauge with help, an integer gauge, an integer counter, a
 * boolean, a string, a histogram, fields the semantic conventions name (one an up-down counter,
 * two that share a name told apart by an attribute) and a series of them; the tag `host`.
 */
export function kindsMeter(): Runometer {
  const durations = new HistogramRecorder([0.1, 1]);
  for (const seconds of [0.05, 0.5, 0.7, 3]) durations.record(seconds);
  return new Runometer('app')
    .addTag('host', 'h1')
    .addField('temperature', () => 21.5, { help: 'Temperature, in degrees.' })
    .addField('queue_depth', () => 12, { type: 'integer' })
    .addField('jobs_total', () => 7n, { type: 'integer', kind: 'counter' })
    .addField('ready', () => true, { type: 'boolean' })
    .addField('last_error', () => 'none', { type: 'string' })
    .addField('wait_seconds', () => durations.snapshot(), { kind: 'histogram', buckets: durations.bounds })
    .addField('rss_bytes', () => 4096, { type: 'integer' })
    .addField('cpu_user_seconds_total', () => 1.5, { kind: 'counter' })
    .addField('cpu_system_seconds_total', () => 0.5, { kind: 'counter' })
    .addSeries(
      'heap_spaces',
      () => [
        { tags: { space: 'old_space' }, fields: { space_used_bytes: 500 } },
        { tags: { space: 'new_space' }, fields: { space_used_bytes: 100 } },
      ],
      { tags: ['space'], fields: { space_used_bytes: { type: 'integer' } } },
    );
}
