import { describe, expect, test } from 'vitest';
import { toPrometheus } from './prometheus.js';
import { Runometer } from './runometer.js';

describe('toPrometheus', () => {
  test('names and labels are made valid, and label values and help escaped', async () => {
    const meter = new Runometer('my-app.v2')
      .addTag('zone name', 'eu "west"\\1')
      .addField('2xx', () => 1, { help: 'Line one\nline \\ two' })
      .addField('bytes_total', () => 9, { type: 'integer', kind: 'counter' });
    expect(toPrometheus(await meter.collect())).toBe(
      [
        '# HELP my_app_v2_2xx Line one\\nline \\\\ two',
        '# TYPE my_app_v2_2xx gauge',
        'my_app_v2_2xx{zone_name="eu \\"west\\"\\\\1"} 1',
        '# HELP my_app_v2_bytes_total bytes_total of my-app.v2',
        '# TYPE my_app_v2_bytes_total counter',
        'my_app_v2_bytes_total{zone_name="eu \\"west\\"\\\\1"} 9',
        '',
      ].join('\n'),
    );
  });
});
