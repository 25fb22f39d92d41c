import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType, MeterProvider, type MetricData } from '@opentelemetry/sdk-metrics';
import { Runometer, preset, field, type RenderError, type Snapshot } from '@runometer/core';
import { describe, expect, test } from 'vitest';
import { CollectingReader, plain, scopeMetrics } from '../test/collecting-reader.js';
import { kindsMeter } from '../test/kinds-meter.js';
import { UNITS_METER_UCUM, unitsMeter } from '../test/units-meter.js';
import { runometerProducer } from './producer.js';
import { VERSION } from './version.js';

/** What a reader carrying the producer of `source` collects once, through a MeterProvider as an app has it. */
async function collectThroughReader(source: Parameters<typeof runometerProducer>[0]) {
  const reader = new CollectingReader([runometerProducer(source)]);
  const provider = new MeterProvider({ readers: [reader] });
  provider.getMeter('the-app').createCounter('app.orders').add(3);
  try {
    return await reader.collect();
  } finally {
    await provider.shutdown();
  }
}

@preset('otel-test-queues')
class QueuesPreset {
  @field('queue_wait_seconds', { unit: 'seconds' })
  wait(): number {
    return 0.5;
  }
}

const unitsByName = (metrics: MetricData[]) => Object.fromEntries(metrics.map(({ descriptor }) => [descriptor.name, descriptor.unit]));

describe('runometerProducer', () => {
  test("a reader exports the meter's fields beside the SDK's own, in the scope @runometer/otel", async () => {
    const { resourceMetrics, errors } = await collectThroughReader(kindsMeter());
    expect(errors).toEqual([]);
    expect(resourceMetrics.scopeMetrics.map(({ scope }) => scope)).toEqual([
      { name: 'the-app', version: '', schemaUrl: undefined },
      { name: '@runometer/otel', version: VERSION },
    ]);
  });

  test('every kind: gauges, integer gauges, counters as monotonic sums, booleans as 1 and 0, histograms with their buckets; strings left out', async () => {
    const { resourceMetrics } = await collectThroughReader(kindsMeter());
    const host = { host: 'h1' };
    expect(scopeMetrics(resourceMetrics).map(plain)).toEqual([
      {
        name: 'app.temperature',
        unit: '',
        valueType: ValueType.DOUBLE,
        description: 'Temperature, in degrees.',
        dataPointType: DataPointType.GAUGE,
        points: [{ attributes: host, value: 21.5 }],
      },
      {
        name: 'app.queue_depth',
        unit: '',
        valueType: ValueType.INT,
        description: 'queue_depth of app',
        dataPointType: DataPointType.GAUGE,
        points: [{ attributes: host, value: 12 }],
      },
      {
        name: 'app.jobs_total',
        unit: '',
        valueType: ValueType.INT,
        description: 'jobs_total of app',
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        points: [{ attributes: host, value: 7 }],
      },
      {
        name: 'app.ready',
        unit: '',
        valueType: ValueType.DOUBLE,
        description: 'ready of app',
        dataPointType: DataPointType.GAUGE,
        points: [{ attributes: host, value: 1 }],
      },
      {
        name: 'app.wait_seconds',
        unit: '',
        valueType: ValueType.DOUBLE,
        description: 'wait_seconds of app',
        dataPointType: DataPointType.HISTOGRAM,
        points: [{ attributes: host, value: { buckets: { boundaries: [0.1, 1], counts: [1, 2, 1] }, sum: 4.25, count: 4 } }],
      },
      {
        name: 'process.memory.usage',
        unit: 'By',
        valueType: ValueType.INT,
        description: 'rss_bytes of app',
        dataPointType: DataPointType.SUM,
        isMonotonic: false,
        points: [{ attributes: host, value: 4096 }],
      },
      {
        name: 'process.cpu.time',
        unit: 's',
        valueType: ValueType.DOUBLE,
        description: 'cpu_user_seconds_total of app',
        dataPointType: DataPointType.SUM,
        isMonotonic: true,
        points: [
          { attributes: { host: 'h1', 'cpu.mode': 'user' }, value: 1.5 },
          { attributes: { host: 'h1', 'cpu.mode': 'system' }, value: 0.5 },
        ],
      },
      {
        name: 'v8js.memory.heap.used',
        unit: 'By',
        valueType: ValueType.INT,
        description: 'space_used_bytes of app',
        dataPointType: DataPointType.SUM,
        isMonotonic: false,
        points: [
          { attributes: { host: 'h1', 'v8js.heap.space.name': 'old_space' }, value: 500 },
          { attributes: { host: 'h1', 'v8js.heap.space.name': 'new_space' }, value: 100 },
        ],
      },
    ]);
  });

  test('a field the app adds, of the meter or a series, arrives with the UCUM of the unit it declares; one that declares none with none', async () => {
    const { resourceMetrics } = await collectThroughReader(unitsMeter());
    expect(unitsByName(scopeMetrics(resourceMetrics))).toEqual(UNITS_METER_UCUM);
  });

  test("a preset's field arrives with its unit, from a preset the meter uses after the producer was made too", async () => {
    const meter = new Runometer('app').addField('own_bytes', () => 1, { unit: 'bytes' });
    const producer = runometerProducer(meter);
    meter.use(QueuesPreset);
    expect(unitsByName(scopeMetrics((await producer.collect()).resourceMetrics))).toEqual({
      'app.own_bytes': 'By',
      'app.queue_wait_seconds': 's',
    });
  });

  test('every point is cumulative from the start of the process, and ends when the source was collected', async () => {
    const before = Date.now();
    const { resourceMetrics } = await collectThroughReader(kindsMeter());
    // Date.now() drops the fraction of its millisecond; the SDK's clock (timeOrigin + performance.now()) keeps it.
    const after = Date.now() + 1;
    const metrics = scopeMetrics(resourceMetrics);
    expect(new Set(metrics.map((metric) => metric.aggregationTemporality))).toEqual(new Set([AggregationTemporality.CUMULATIVE]));
    const points = metrics.flatMap((metric) => metric.dataPoints as { startTime: [number, number]; endTime: [number, number] }[]);
    const milliseconds = ([seconds, nanoseconds]: [number, number]) => seconds * 1000 + nanoseconds / 1e6;
    for (const { startTime, endTime } of points) {
      expect(milliseconds(startTime)).toBeCloseTo(performance.timeOrigin, 3);
      expect(milliseconds(endTime)).toBeGreaterThanOrEqual(before);
      expect(milliseconds(endTime)).toBeLessThanOrEqual(after);
    }
  });

  test('a field that throws is left out and reported to the meter, and the rest is exported', async () => {
    const faults: RenderError[] = [];
    const meter = new Runometer('app', { onError: (error) => faults.push(error) })
      .addField('broken', () => {
        throw new Error('probe failed');
      })
      .addField('fine', () => 1);
    const { resourceMetrics, errors } = await collectThroughReader(meter);
    expect(errors).toEqual([]);
    expect(scopeMetrics(resourceMetrics).map((metric) => metric.descriptor.name)).toEqual(['app.fine']);
    expect(faults.map(({ source, key, reason }) => ({ source, key, reason }))).toEqual([
      { source: 'field', key: 'broken', reason: 'threw' },
    ]);
  });

  test("a source that rejects gives no metrics and its error, and the reader still exports the SDK's own", async () => {
    const meter = new Runometer('app').addField('fine', () => 1);
    await meter.close();
    const { resourceMetrics, errors } = await collectThroughReader(meter);
    expect(errors).toEqual([new Error('meter "app" is closed')]);
    expect(scopeMetrics(resourceMetrics)).toEqual([]);
    expect(scopeMetrics(resourceMetrics, 'the-app').map((metric) => metric.descriptor.name)).toEqual(['app.orders']);
  });

  test('several snapshots: one metric per name with the points of each, a point given twice kept once, a name of two shapes reported once', async () => {
    const worker = (id: string, kind: 'gauge' | 'counter' = 'gauge') =>
      new Runometer('app')
        .addTag('worker', id)
        .addField('jobs', () => Number(id), { kind })
        .collect();
    const snapshots: Snapshot[] = [await worker('1'), await worker('2'), await worker('2'), await worker('3', 'counter')];
    const producer = runometerProducer({ collect: async () => snapshots });
    const first = await producer.collect();
    expect(scopeMetrics(first.resourceMetrics).map(plain)).toEqual([
      {
        name: 'app.jobs',
        unit: '',
        valueType: ValueType.DOUBLE,
        description: 'jobs of app',
        dataPointType: DataPointType.GAUGE,
        points: [
          { attributes: { worker: '1' }, value: 1 },
          { attributes: { worker: '2' }, value: 2 },
        ],
      },
    ]);
    expect(first.errors).toEqual([
      new Error(
        'field "jobs" of "app" is left out: it would be a counter of doubles in "" named "app.jobs", which another field took first as a gauge of doubles in ""',
      ),
    ]);
    expect((await producer.collect()).errors).toEqual([]);
  });
});
