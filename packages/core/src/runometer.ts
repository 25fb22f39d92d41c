import { container as rootContainer, type DependencyContainer } from './preset/di.js';
import { MeterMemory, collect } from './render/collect.js';
import { addMembers, presetMembers, presetName } from './preset/decorators.js';
import { Definitions, type FieldOptions, type SeriesOptions, type SeriesResult, type TagResult } from './model/definitions.js';
import { RegistrationError, RenderError, describe } from './model/errors.js';
import type { FieldKind, FieldResult, FieldType } from './model/field-types.js';
import { parametersWithoutToken, parameterList } from './preset/injection.js';
import { toLineProtocol } from './format/line-protocol.js';
import { checkMeasurement } from './model/names.js';
import type { Plan } from './model/plan.js';
import { presetRegistry, type PresetClass } from './preset/registry.js';
import type { RenderScope } from './model/plan.js';
import type { Snapshot } from './model/snapshot.js';

export interface RunometerOptions {
  /**
   * Milliseconds a render may wait for async builders, tags and fields; what has not settled
   * by then is left out and reported. Default 2000 (Telegraf gives up after 5 s). `Infinity` waits for ever.
   */
  renderTimeout?: number;
  /** Stamp every line with the render's start, in nanoseconds. Default false: the scraper stamps it. */
  timestamps?: boolean;
  /** Called for every fault of a render. Default: a console warning the first time each source fails. */
  onError?: (error: RenderError) => void;
  /** Where presets are resolved from. Default: tsyringe's root container. */
  container?: DependencyContainer;
}

/** What a preset holds while a meter uses it: a `Lease` of `SharedWork`, or anything released alike. */
export interface Releasable {
  release(): void | Promise<void>;
}

/** Optional hooks of a preset instance. */
export interface PresetLifecycle {
  /**
   * Called once the preset is registered on a meter: start background work here. What it returns
   * (a lease, or several) is released by `meter.close()`, after `close()`.
   */
  open?(): void | Releasable | readonly Releasable[];
  /** Called by `meter.close()`: stop what `open` started and did not return. */
  close?(): void | Promise<void>;
  /**
   * The bucket layout of the preset's histogram field `key` on this meter, in place of the
   * `buckets` it declares (which the catalog shows as its default); undefined keeps those. Asked
   * once per histogram field when a meter adds the preset, so that an app can set a layout on the
   * singleton the preset injects (a `BucketLayout`, which `fix()` then keeps as it is).
   */
  bucketsOf?(key: string): readonly number[] | undefined;
}

export type PresetReference = PresetClass | string;

// What a builder adds to the context's type: nothing when it returns nothing (or never returns).
type ContextOf<T> = [T] extends [never] ? unknown : T extends object ? T : unknown;

function warnOncePerSource(meterName: string): (error: RenderError) => void {
  const warned = new Set<string>();
  return (error) => {
    const id = `${error.source}\u0000${error.key}\u0000${error.reason}`;
    if (warned.has(id)) return;
    warned.add(id);
    console.warn(`runometer "${meterName}": ${error.message} (warned once; set onError to see every fault)`);
  };
}

/**
 * A meter: a measurement name, tags, fields and context builders, rendered as InfluxDB line
 * protocol. It has nothing until you add it.
 */
export class Runometer<Ctx extends object = object> {
  readonly name: string;
  private definitions: Definitions;
  private plan: Plan | undefined;
  private readonly memory = new MeterMemory();
  /** Each preset used, by name, with what its `open()` returned, released at `close()`. */
  private readonly presets = new Map<string, { readonly instance: PresetLifecycle; held: readonly Releasable[] }>();
  private readonly renderTimeout: number;
  private readonly timestamps: boolean;
  private readonly onError: (error: RenderError) => void;
  private readonly container: DependencyContainer;
  private errors = 0;
  private isClosed = false;
  /** `source key` of each function reported as denied a permission: reported once, then left out silently. */
  private readonly denied = new Set<string>();

  constructor(name: string, options: RunometerOptions = {}) {
    this.name = checkMeasurement(name);
    this.definitions = new Definitions(this.name);
    const { renderTimeout = 2000, timestamps = false, onError, container = rootContainer } = options;
    if (typeof renderTimeout !== 'number' || !(renderTimeout > 0)) {
      throw new RegistrationError(`renderTimeout must be a positive number of milliseconds, got ${describe(renderTimeout)}`);
    }
    if (typeof timestamps !== 'boolean') throw new RegistrationError(`timestamps must be a boolean, got ${describe(timestamps)}`);
    if (onError !== undefined && typeof onError !== 'function') {
      throw new RegistrationError(`onError must be a function, got ${describe(onError)}`);
    }
    this.renderTimeout = renderTimeout;
    this.timestamps = timestamps;
    this.onError = onError ?? warnOncePerSource(name);
    this.container = container;
  }

  /** Faults reported since the meter was made: export it as a field to see them in Grafana. */
  get errorCount(): number {
    return this.errors;
  }

  /** True once `close()` has been called: the meter renders no more. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** The installed presets this meter uses, by name. */
  get presetNames(): string[] {
    return [...this.presets.keys()];
  }

  /** A tag with a static value, or a function of the render context. */
  addTag(key: string, valueOrFn: string | ((ctx: Ctx, render: RenderScope) => TagResult)): this {
    return this.register((d) => d.addTag(key, valueOrFn));
  }

  /** A field whose value `fn(ctx)` returns (or resolves to) at every render: of the declared type, or absent. */
  addField<T extends FieldType = 'float', K extends FieldKind = 'gauge'>(
    key: string,
    fn: (ctx: Ctx, render: RenderScope) => NoInfer<FieldResult<T, K>>,
    options?: FieldOptions<T, K>,
  ): this {
    return this.register((d) => d.addField(key, fn, options));
  }

  /**
   * Runs once per render, in the order added, before tags and fields: the object it returns
   * (or resolves to) is merged into the context that they all receive.
   */
  addContextBuilder<T extends object | void>(
    fn: (ctx: Ctx, render: RenderScope) => T | Promise<T>,
    label?: string,
  ): Runometer<Ctx & ContextOf<T>> {
    const name = label ?? (fn.name || `builder #${this.definitions.builders.length + 1}`);
    return this.register((d) => d.addBuilder(name, fn)) as unknown as Runometer<Ctx & ContextOf<T>>;
  }

  /** More lines under the meter's name and tags: one per row `{ tags, fields }` that `fn(ctx)` returns. */
  addSeries<const Fields extends Readonly<Record<string, FieldOptions>>, const TagKey extends string = never>(
    name: string,
    fn: (ctx: Ctx, render: RenderScope) => NoInfer<SeriesResult<Fields, TagKey>>,
    options: SeriesOptions<Fields, TagKey>,
  ): this {
    return this.register((d) => d.addSeries(name, fn, options));
  }

  /** Adds presets, by class or by the name of an installed preset: all of them, or none if one fails. */
  use(...presets: PresetReference[]): this {
    this.assertOpen();
    const draft = this.definitions.clone();
    const added = new Map<string, PresetLifecycle>();
    for (const reference of presets) {
      const presetClass = this.presetClass(reference);
      const name = presetName(presetClass)!;
      if (this.presets.has(name) || added.has(name)) {
        throw new RegistrationError(`preset "${name}" is already used by meter "${this.name}"`);
      }
      const instance = this.construct(name, presetClass);
      try {
        addMembers(draft, name, presetMembers(presetClass), instance);
      } catch (error) {
        if (error instanceof RegistrationError) throw new RegistrationError(`preset "${name}": ${error.message}`, { cause: error });
        throw error;
      }
      added.set(name, instance);
    }
    this.register(() => {
      this.definitions = draft;
    });
    for (const [name, instance] of added) {
      const used = { instance, held: [] as readonly Releasable[] };
      this.presets.set(name, used);
      const opened = instance.open?.();
      if (opened !== undefined) used.held = Array.isArray(opened) ? opened : [opened as Releasable];
    }
    return this;
  }

  /** Measures once: the values of every tag and field, before any format is applied. */
  collect(): Promise<Snapshot> {
    if (this.isClosed) return Promise.reject(new Error(`meter "${this.name}" is closed`));
    this.plan ??= {
      measurement: this.name,
      builders: [...this.definitions.builders],
      tags: [...this.definitions.tags],
      fields: [...this.definitions.fields],
      series: [...this.definitions.series],
      scopes: this.definitions.scopes,
      leTagBytes: this.definitions.leTagBytes,
      timeoutMs: this.renderTimeout,
      timestamps: this.timestamps,
    };
    return collect(this.plan, this.memory, (error) => this.report(error));
  }

  /** Measures once and renders InfluxDB line protocol: one LF-terminated line per point. */
  async render(): Promise<string> {
    return toLineProtocol(await this.collect());
  }

  /** Stops the presets' background work. The meter renders no more. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    const failures: unknown[] = [];
    let failedPresets = 0;
    for (const { instance, held } of [...this.presets.values()].reverse()) {
      const before = failures.length;
      for (const stop of [() => instance.close?.(), ...held.map((one) => () => one.release())]) {
        try {
          await stop();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > before) failedPresets++;
    }
    if (failures.length > 0) {
      throw new AggregateError(failures, `meter "${this.name}": ${failedPresets} preset(s) failed to close`);
    }
  }

  private presetClass(reference: PresetReference): PresetClass {
    if (typeof reference === 'string') {
      const found = presetRegistry.get(reference);
      if (found !== undefined) return found;
      const installed = presetRegistry.names();
      throw new RegistrationError(
        `no preset named "${reference}" is installed (installed: ${
          installed.length > 0 ? installed.join(', ') : 'none'
        }); import its package first`,
      );
    }
    if (typeof reference !== 'function' || presetName(reference) === undefined) {
      const what = typeof reference === 'function' ? `class ${(reference as Function).name}` : describe(reference);
      throw new RegistrationError(`${what} is not a preset: decorate it with @preset(name)`);
    }
    return reference;
  }

  /**
   * The preset instance from the container. A constructor parameter without a token gets
   * tsyringe's "TypeInfo not known", or (when another has one) `undefined`: say what to add instead.
   */
  private construct(name: string, presetClass: PresetClass): PresetLifecycle {
    const missing = this.container.isRegistered(presetClass, true) ? [] : parametersWithoutToken(presetClass);
    if (missing.length > 0) {
      throw new RegistrationError(
        `preset "${name}": the container cannot build class ${presetClass.name}: its constructor ${parameterList(missing)} (counting from 1) ` +
          `${missing.length === 1 ? 'has' : 'have'} no token: list one per parameter, in order, in @preset(name, { inject: [Token, …] }), ` +
          `or add @inject(Token) to each (emitDecoratorMetadata records a class-typed parameter's type, but bundlers such as esbuild record none)`,
      );
    }
    return this.container.resolve(presetClass) as PresetLifecycle;
  }

  private assertOpen(): void {
    if (this.isClosed) throw new RegistrationError(`meter "${this.name}" is closed: it takes no more registrations`);
  }

  private register(change: (definitions: Definitions) => void): this {
    this.assertOpen();
    change(this.definitions);
    // A render in flight keeps the plan it started with; the next one sees the change.
    this.plan = undefined;
    return this;
  }

  private report(error: RenderError): void {
    if (error.reason === 'denied') {
      const id = `${error.source}\u0000${error.key}`;
      if (this.denied.has(id)) return;
      this.denied.add(id);
    }
    this.errors++;
    try {
      this.onError(error);
    } catch {
      // A broken error handler must not break the render it reports on.
    }
  }
}
