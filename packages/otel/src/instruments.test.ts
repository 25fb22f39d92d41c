import { ValueType, metrics, type MetricOptions } from '@opentelemetry/api';
import { DataPointType, MeterProvider } from '@opentelemetry/sdk-metrics';
import { HistogramRecorder, Runometer, type SnapshotSource } from '@runometer/core';
import { afterEach, describe, expect, test } from 'vitest';
import { CollectingReader, plain, scopeMetrics } from '../test/collecting-reader.js';
import { UNITS_METER_UCUM, unitsMeter } from '../test/units-meter.js';
import { registerInstruments } from './instruments.js';

/** A source that counts its collections. */
function counted(source: SnapshotSource): SnapshotSource & { collections: number } {
  const counting = {
    collections: 0,
    get closed() {
      return source.closed;
    },
    collect() {
      counting.collections++;
      return source.collect();
    },
  };
  return counting;
}

function provider() {
  const reader = new CollectingReader();
  return { reader, meterProvider: new MeterProvider({ readers: [reader] }) };
}

const names = async (reader: CollectingReader) =>
  scopeMetrics((await reader.collect()).resourceMetrics).map((metric) => metric.descriptor.name);

afterEach(() => metrics.disable());

describe('registerInstruments', () => {
  test('gauges, up-down counters and counters arrive as the SDK aggregates them; histograms and strings are left out', async () => {
    const durations = new HistogramRecorder([1]);
    const meter = new Runometer('app')
      .addTag('host', 'h1')
      .addField('queue_depth', () => 12, { type: 'integer', help: 'Jobs waiting.' })
      .addField('rss_bytes', () => 4096, { type: 'integer' })
      .addField('cpu_user_seconds_total', () => 1.5, { kind: 'counter' })
      .addField('cpu_system_seconds_total', () => 0.5, { kind: 'counter' })
      .addField('wait_seconds', () => durations.snapshot(), { kind: 'histogram', buckets: durations.bounds })
      .addField('last_error', () => 'none', { type: 'string' });
    const { reader, meterProvider } = provider();
    await registerInstruments(meter, { meterProvider });
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    expect(scopeMetrics(resourceMetrics).map(plain)).toEqual([
      {
        name: 'app.queue_depth',
        unit: '',
        valueType: ValueType.INT,
        description: 'Jobs waiting.',
        dataPointType: DataPointType.GAUGE,
        points: [{ attributes: { host: 'h1' }, value: 12 }],
      },
      {
        name: 'process.memory.usage',
        unit: 'By',
        valueType: ValueType.INT,
        description: 'rss_bytes of app',
        dataPointType: DataPointType.SUM,
        isMonotonic: false,
        points: [{ attributes: { host: 'h1' }, value: 4096 }],
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
    ]);
    await meterProvider.shutdown();
  });

  test('a field the app adds is an instrument in the UCUM of the unit it declares (histograms left out)', async () => {
    const { reader, meterProvider } = provider();
    await registerInstruments(unitsMeter(), { meterProvider });
    const metrics = scopeMetrics((await reader.collect()).resourceMetrics);
    const instrumented = Object.fromEntries(Object.entries(UNITS_METER_UCUM).filter(([name]) => name !== 'app.own_wait'));
    expect(Object.fromEntries(metrics.map(({ descriptor }) => [descriptor.name, descriptor.unit]))).toEqual(instrumented);
    await meterProvider.shutdown();
  });

  test('one batch callback collects the source once per collection, however many instruments', async () => {
    const source = counted(
      new Runometer('app')
        .addField('a', () => 1)
        .addField('b', () => 2)
        .addField('c_total', () => 3, { kind: 'counter' }),
    );
    const { reader, meterProvider } = provider();
    await registerInstruments(source, { meterProvider });
    expect(source.collections).toBe(1);
    expect(await names(reader)).toEqual(['app.a', 'app.b', 'app.c_total']);
    expect(source.collections).toBe(2);
    await reader.collect();
    expect(source.collections).toBe(3);
    await meterProvider.shutdown();
  });

  test('a field that throws is left out of the collection it failed in, and observed again once it gives a value', async () => {
    let failing = true;
    const meter = new Runometer('app', { onError: () => {} })
      .addField('up', () => 1)
      .addField('flaky', () => {
        if (failing) throw new Error('probe failed');
        return 2;
      });
    const { reader, meterProvider } = provider();
    failing = false;
    await registerInstruments(meter, { meterProvider });
    failing = true;
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    expect(
      scopeMetrics(resourceMetrics)
        .map(plain)
        .map(({ name, points }) => ({ name, points })),
    ).toEqual([{ name: 'app.up', points: [{ attributes: {}, value: 1 }] }]);
    failing = false;
    expect(await names(reader)).toEqual(['app.up', 'app.flaky']);
    await meterProvider.shutdown();
  });

  test('a field that appears later gets its instrument, and its points from the next collection on', async () => {
    const rows: { tags: { route: string }; fields: { requests_total: number } }[] = [];
    const meter = new Runometer('app')
      .addField('up', () => 1)
      .addSeries('routes', () => rows, { tags: ['route'], fields: { requests_total: { type: 'integer', kind: 'counter' } } });
    const { reader, meterProvider } = provider();
    await registerInstruments(meter, { meterProvider });
    expect(await names(reader)).toEqual(['app.up']);
    rows.push({ tags: { route: '/a' }, fields: { requests_total: 5 } });
    expect(await names(reader)).toEqual(['app.up']);
    const { resourceMetrics } = await reader.collect();
    expect(scopeMetrics(resourceMetrics).map(plain)[1]).toEqual({
      name: 'app.requests_total',
      unit: '',
      valueType: ValueType.INT,
      description: 'requests_total of app',
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      points: [{ attributes: { route: '/a' }, value: 5 }],
    });
    await meterProvider.shutdown();
  });

  test('the global MeterProvider by default; unregister() and a closed meter stop the collections', async () => {
    const meter = new Runometer('app').addField('up', () => 1);
    const source = counted(meter);
    const { reader, meterProvider } = provider();
    metrics.setGlobalMeterProvider(meterProvider);
    const registered = await registerInstruments(source);
    expect(await names(reader)).toEqual(['app.up']);
    await meter.close();
    await reader.collect();
    expect(source.collections).toBe(2);
    registered.unregister();
    registered.unregister();
    await meterProvider.shutdown();
  });

  test('unregister() removes the callback: the provider collects the source no more', async () => {
    const source = counted(new Runometer('app').addField('up', () => 1));
    const { reader, meterProvider } = provider();
    const registered = await registerInstruments(source, { meterProvider });
    registered.unregister();
    expect(await names(reader)).toEqual([]);
    expect(source.collections).toBe(1);
    await meterProvider.shutdown();
  });

  test('a provider that takes doubles only (Deno’s built-in one throws for ValueType.INT) gets integer fields as doubles', async () => {
    const { reader, meterProvider } = provider();
    const doublesOnly: MeterProvider = Object.assign(Object.create(meterProvider), {
      getMeter(name: string, version?: string) {
        const meter = meterProvider.getMeter(name, version);
        const refuseIntegers =
          <T>(create: (name: string, options?: MetricOptions) => T) =>
          (instrument: string, options?: MetricOptions) => {
            if (options?.valueType !== undefined && options.valueType !== ValueType.DOUBLE)
              throw new Error('Only valueType: DOUBLE is supported');
            return create.call(meter, instrument, options);
          };
        return Object.assign(Object.create(meter), {
          createObservableGauge: refuseIntegers(meter.createObservableGauge),
          createObservableUpDownCounter: refuseIntegers(meter.createObservableUpDownCounter),
          createObservableCounter: refuseIntegers(meter.createObservableCounter),
        });
      },
    });
    const meter = new Runometer('app')
      .addField('queue_depth', () => 12, { type: 'integer' })
      .addField('open_fds', () => 9, { type: 'integer' });
    await registerInstruments(meter, { meterProvider: doublesOnly });
    const collected = scopeMetrics((await reader.collect()).resourceMetrics);
    expect(collected.map(({ descriptor: { name, valueType } }) => ({ name, valueType }))).toEqual([
      { name: 'app.queue_depth', valueType: ValueType.DOUBLE },
      { name: 'process.unix.file_descriptor.count', valueType: ValueType.DOUBLE },
    ]);
    expect(collected.map(plain).map(({ points }) => points)).toEqual([[{ attributes: {}, value: 12 }], [{ attributes: {}, value: 9 }]]);
    await meterProvider.shutdown();
  });

  test('a source that cannot be collected at all is refused at once', async () => {
    const meter = new Runometer('app').addField('up', () => 1);
    await meter.close();
    await expect(registerInstruments(meter, { meterProvider: provider().meterProvider })).rejects.toThrow('meter "app" is closed');
  });
});
