import { container, type InjectionToken } from '../preset/di.js';
import type { RenderError } from '../model/errors.js';
import { toLineProtocol } from '../format/line-protocol.js';
import { Runometer, type PresetReference } from '../runometer.js';
import type { Snapshot } from '../model/snapshot.js';

export interface RenderPresetOptions {
  /** Token and value pairs registered in a child container of core's: the fakes the preset is given instead of its probes. */
  inject?: readonly (readonly [InjectionToken<unknown>, unknown])[];
  /** The meter's tags. */
  tags?: Readonly<Record<string, string>>;
  /** How many times to render, one after the other. Default 1. */
  renders?: number;
  /** The meter's name, the measurement of its lines. Default `'test'`. */
  measurement?: string;
  /** Milliseconds a render may wait for async work (see `RunometerOptions.renderTimeout`). Default 2000. */
  renderTimeout?: number;
}

/** What rendering a preset gave: one snapshot and one body per render, and every fault reported, in order. */
export interface PresetRendering {
  readonly snapshots: readonly Snapshot[];
  /** InfluxDB line protocol, one body per render. */
  readonly bodies: readonly string[];
  readonly errors: readonly RenderError[];
}

/**
 * Renders `preset` on a meter of its own, resolved from a child container of core's in which each
 * `inject` pair is registered, `renders` times; then closes the meter, so that the preset's
 * background work stops before the test ends.
 */
export async function renderPreset(preset: PresetReference, options: RenderPresetOptions = {}): Promise<PresetRendering> {
  const { inject = [], tags = {}, renders = 1, measurement = 'test', renderTimeout } = options;
  if (!Number.isInteger(renders) || renders < 1)
    throw new RangeError(`renders must be a whole number of at least 1, got ${String(renders)}`);
  const scoped = container.createChildContainer();
  for (const [token, value] of inject) scoped.register(token, { useValue: value });
  const errors: RenderError[] = [];
  const meter = new Runometer(measurement, { container: scoped, onError: (error) => errors.push(error), renderTimeout });
  try {
    for (const [key, value] of Object.entries(tags)) meter.addTag(key, value);
    meter.use(preset);
    const snapshots: Snapshot[] = [];
    for (let render = 0; render < renders; render++) snapshots.push(await meter.collect());
    return { snapshots, bodies: snapshots.map(toLineProtocol), errors };
  } finally {
    await meter.close();
  }
}
