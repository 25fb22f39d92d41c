import { FIELD_UNITS, Runometer, type FieldUnit } from '@runometer/core';

/**
 * A meter whose fields the app adds itself: one of each core unit (`app.own_<unit>`), one with
 * none, a histogram in seconds and a series' field in bytes.
 */
export function unitsMeter(): Runometer {
  const meter = new Runometer('app');
  for (const unit of Object.keys(FIELD_UNITS) as FieldUnit[]) meter.addField(`own_${unit}`, () => 1, { unit });
  return meter
    .addField('own_unitless', () => 1)
    .addField('own_wait', () => ({ counts: [1, 0], sum: 0.5 }), { kind: 'histogram', buckets: [1], unit: 'seconds' })
    .addSeries('disks', () => [{ tags: { disk: 'sda' }, fields: { disk_free: 1024 } }], {
      tags: ['disk'],
      fields: { disk_free: { type: 'integer', unit: 'bytes' } },
    });
}

/** The UCUM unit each metric of `unitsMeter()` must arrive with in OpenTelemetry, by name. */
export const UNITS_METER_UCUM: Readonly<Record<string, string>> = {
  'app.own_bytes': 'By',
  'app.own_seconds': 's',
  'app.own_epoch_seconds': 's',
  'app.own_percent': '%',
  'app.own_ratio': '1',
  'app.own_count': '{count}',
  'app.own_none': '',
  'app.own_unitless': '',
  'app.own_wait': 's',
  'app.disk_free': 'By',
};
