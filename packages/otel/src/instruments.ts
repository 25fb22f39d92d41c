import { ValueType, diag, metrics, type BatchObservableCallback, type MeterProvider, type Observable } from '@opentelemetry/api';
import { snapshotsOf, type SnapshotSource } from '@runometer/core';
import type { OtelField } from './otel-field.js';
import { OtelMetrics, type OtelMetric } from './otel-metrics.js';
import { SCOPE } from './scope.js';

export interface InstrumentsOptions {
  /** Where the instruments are created: by default the global one of `@opentelemetry/api` (the NodeSDK's, Deno's built-in one). */
  meterProvider?: MeterProvider;
}

export interface RegisteredInstruments {
  /** Stops observing the source: the instruments stay on the provider, with no more points. */
  unregister(): void;
}

/**
 * The source's fields as observable instruments of the scope `@runometer/otel` on a MeterProvider:
 * a gauge, an up-down counter or a counter each, all observed by one batch callback that collects
 * the source once per collection of the provider. Resolves once the first collection made the
 * instruments of the fields it found; a field that appears later (a series' first row) gets its
 * instrument then, and its points from the next collection on. Histograms are left out: the
 * OpenTelemetry API observes no histogram (`runometerProducer` exports them). A field whose name
 * another took first with another instrument or unit is left out and reported through the API's
 * `diag`; a collection the source rejects rejects the callback, which the SDK reports.
 */
export async function registerInstruments(source: SnapshotSource, options: InstrumentsOptions = {}): Promise<RegisteredInstruments> {
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE.name, SCOPE.version);
  const otelMetrics = new OtelMetrics();
  const instruments = new Map<string, Observable>();
  let observed: Observable[] = [];
  let unregistered = false;

  const collect = async () => {
    const errors: Error[] = [];
    const found = otelMetrics.collect(snapshotsOf(await source.collect()), errors);
    for (const error of errors) diag.error(error.message);
    return found;
  };

  // Deno's built-in MeterProvider takes doubles only: it throws for `ValueType.INT`, and then an
  // integer field is a double there too.
  let integers = true;
  const instrumentOf = (field: OtelField): Observable | undefined => {
    if (field.integer && integers) {
      try {
        return createInstrument(field, ValueType.INT);
      } catch {
        integers = false;
      }
    }
    return createInstrument(field, ValueType.DOUBLE);
  };
  const createInstrument = ({ name, instrument, description, unit }: OtelField, valueType: ValueType): Observable | undefined => {
    const options = { description, unit, valueType };
    if (instrument === 'gauge') return meter.createObservableGauge(name, options);
    if (instrument === 'updowncounter') return meter.createObservableUpDownCounter(name, options);
    if (instrument === 'counter') return meter.createObservableCounter(name, options);
    return undefined;
  };

  const callback: BatchObservableCallback = async (result) => {
    if (unregistered || source.closed) return;
    const found = await collect();
    for (const [name, { points }] of found) {
      const instrument = instruments.get(name);
      if (instrument === undefined) continue;
      for (const { attributes, value } of points) result.observe(instrument, value as number, attributes);
    }
    addInstruments(found);
  };

  /** Instruments for the metrics that have none yet, and the batch callback registered again with them. */
  const addInstruments = (found: ReadonlyMap<string, OtelMetric>) => {
    const added = [...found.values()].flatMap(({ field }) => {
      if (instruments.has(field.name)) return [];
      const instrument = instrumentOf(field);
      if (instrument === undefined) return [];
      instruments.set(field.name, instrument);
      return [instrument];
    });
    if (added.length === 0 || unregistered) return;
    if (observed.length > 0) meter.removeBatchObservableCallback(callback, observed);
    observed = [...instruments.values()];
    meter.addBatchObservableCallback(callback, observed);
  };

  addInstruments(await collect());
  return {
    unregister() {
      if (unregistered) return;
      unregistered = true;
      if (observed.length > 0) meter.removeBatchObservableCallback(callback, observed);
    },
  };
}
