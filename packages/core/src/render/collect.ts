import { guardContext } from './context.js';
import { Deadline } from './deadline.js';
import { ContextUnavailableError, RenderError, describe, isPermissionDenied, messageOf, type FaultSource } from '../model/errors.js';
import { isAbsent, problemOf } from '../model/field-types.js';
import { compareByBytes } from '../model/names.js';
import type { Compute, Plan, RenderScope, Scoped, SeriesDefinition } from '../model/plan.js';
import { RenderMemo } from '../model/render-memo.js';
import { MAX_SERIES_KEY_BYTES, measurementBytes, tagBytes, tagBytesBound } from '../model/series-key.js';
import type { FieldSample, Point, Snapshot, Tag } from '../model/snapshot.js';
import { renderScope } from './render-scope.js';
import { SeriesRows, type TagSet } from './series-rows.js';
import { onSettled } from './settlement.js';
import { tagProblem, tagText } from './tag-text.js';

const PENDING = Symbol('pending');
const FAILED = Symbol('failed');
type Slot = unknown;

type Report = (error: RenderError) => void;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  // Most values are numbers: test the type before looking a `then` up on a boxed primitive.
  return (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** Throws, as `Array.isArray` does, for a revoked Proxy: callers hold a `try`. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isContextUnavailable(error: unknown): error is ContextUnavailableError {
  try {
    return error instanceof ContextUnavailableError;
  } catch {
    return false; // a revoked Proxy
  }
}

/** Merges two tag lists that are each sorted by key. */
function mergeTags(a: readonly Tag[], b: readonly Tag[]): readonly Tag[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const merged: Tag[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(compareByBytes(a[i]!.key, b[j]!.key) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) merged.push(a[i++]!);
  while (j < b.length) merged.push(b[j++]!);
  return merged;
}

/**
 * What one meter's renders keep from one to the next, owned by the meter: each series' rows, lent
 * to one render at a time, and the meter's tags as the last render gave them.
 */
export class MeterMemory {
  /**
   * Compared tag by tag before a render reuses them: a render that replaced them while another
   * was under way makes the other miss them, never write wrong tags.
   */
  lastMeterTags: readonly Tag[] | undefined;
  private readonly rows = new WeakMap<SeriesDefinition, RenderMemo<SeriesRows>>();

  rowsOf(series: SeriesDefinition): RenderMemo<SeriesRows> {
    let rows = this.rows.get(series);
    if (rows === undefined) {
      rows = new RenderMemo(() => new SeriesRows(series));
      this.rows.set(series, rows);
    }
    return rows;
  }
}

/** One render: fresh contexts (one per scope), its own faults and deadline. Never shared between renders. */
class Collection {
  private readonly contexts: Record<string, unknown>[] = [];
  /** A scope's context as its functions see it: guarded once one of its builders has failed. */
  private readonly views: object[] = [];
  private readonly failedBuilders: string[][] = [];
  private readonly pending: Promise<unknown>[] = [];
  /** Stops listening to the promises this render waited on, so that none of them keeps it alive. */
  private unsubscribes: (() => void)[] | undefined;
  /** Builders left out for a missing permission. */
  private deniedBuilders: Set<string> | undefined;
  /** Bytes of the measurement and meter tags in every series key; computed only when a key may be too long. */
  private meterKeyBytes: number | undefined;
  /** At most that many bytes (see `tagBytesBound`), computed once for every row of every series. */
  private meterKeyBytesBound = 0;
  /** What every function of this render shares: see `RenderScope`. */
  private readonly shared: RenderScope = renderScope();
  /** The bytes a point's tags may take in its series key: InfluxDB's limit, less what a histogram's `le` adds to its bucket lines. */
  private readonly keyLimit: number;

  constructor(
    private readonly plan: Plan,
    private readonly memory: MeterMemory,
    private readonly deadline: Deadline,
    private readonly report: Report,
  ) {
    this.keyLimit = MAX_SERIES_KEY_BYTES - plan.leTagBytes;
  }

  async run(): Promise<Snapshot> {
    try {
      const timestamp = this.plan.timestamps ? BigInt(Date.now()) * 1_000_000n : undefined;
      for (const { label, build, scope } of this.plan.builders) {
        const slot: Slot[] = [];
        this.call('builder', label, build, scope, slot, 0);
        // Awaiting only what is pending keeps a synchronous render free of microtask hops.
        if (this.pending.length > 0) await this.settle([['builder', slot, () => label]]);
        this.absorb(label, scope, slot[0]);
      }
      const { tags, fields, series } = this.plan;
      const tagValues = this.callAll(
        'tag',
        tags,
        (tag) => tag.key,
        (tag) => tag.compute,
      );
      const fieldValues = this.callAll(
        'field',
        fields,
        (field) => field.spec.key,
        (field) => field.compute,
      );
      const seriesRows = this.callAll(
        'series',
        series,
        (one) => one.name,
        (one) => one.rows,
      );
      if (this.pending.length > 0) {
        await this.settle([
          ['tag', tagValues, (i) => tags[i]!.key],
          ['field', fieldValues, (i) => fields[i]!.spec.key],
          ['series', seriesRows, (i) => series[i]!.name],
        ]);
      }
      const meterTags = this.tags(tagValues);
      const points: Point[] = [];
      const samples = this.fields(fieldValues);
      if (samples.length > 0) points.push({ tags: meterTags, fields: samples });
      series.forEach((definition, i) => this.seriesPoints(definition, seriesRows[i], meterTags, points));
      const { measurement } = this.plan;
      return timestamp === undefined ? { measurement, points } : { measurement, timestamp, points };
    } finally {
      if (this.unsubscribes !== undefined) for (const unsubscribe of this.unsubscribes) unsubscribe();
      this.deadline.dispose();
    }
  }

  /** Reports what `source` threw; `during` says what it was doing when that was not its call. */
  private fail(source: FaultSource, key: string, error: unknown, during = ''): void {
    if (isPermissionDenied(error)) {
      if (source === 'builder') (this.deniedBuilders ??= new Set()).add(key);
      this.report(new RenderError(source, key, 'denied', `left out: ${messageOf(error)}`, { cause: error }));
    } else if (isContextUnavailable(error) && error.failedBuilders.every((label) => this.deniedBuilders?.has(label))) {
      // As quiet as the builder it depends on: reported once, not at every render.
      this.report(new RenderError(source, key, 'denied', `left out: ${error.message} for want of a permission`, { cause: error }));
    } else if (isContextUnavailable(error)) {
      this.report(new RenderError(source, key, 'skipped', `skipped: ${error.message}`, { cause: error }));
    } else {
      this.report(new RenderError(source, key, 'threw', `threw${during}: ${messageOf(error)}`, { cause: error }));
    }
  }

  /**
   * Calls `compute` on this render's context and puts the result in `slots[index]`. A promise
   * leaves PENDING there until it settles, if it settles before the render is over.
   */
  private call(source: FaultSource, key: string, compute: Compute, scope: number, slots: Slot[], index: number): void {
    try {
      // Inside the `try`: a `then` getter may throw, and so does any look-up on a revoked Proxy.
      const result = compute(this.views[scope] ?? this.contextOf(scope), this.shared);
      if (!isThenable(result)) {
        slots[index] = result;
        return;
      }
      slots[index] = PENDING;
      let settled: (() => void) | undefined;
      const unsubscribe = onSettled(result, (outcome) => {
        if (outcome.ok) {
          slots[index] = outcome.value;
        } else {
          slots[index] = FAILED;
          this.fail(source, key, outcome.error);
        }
        settled?.();
      });
      // A promise seen settled at an earlier render gives its outcome at once: nothing to wait for.
      if (slots[index] !== PENDING) return;
      (this.unsubscribes ??= []).push(unsubscribe);
      this.pending.push(new Promise<void>((resolve) => (settled = resolve)));
    } catch (error) {
      this.fail(source, key, error);
      slots[index] = FAILED;
    }
  }

  private contextOf(scope: number): Record<string, unknown> {
    return (this.contexts[scope] ??= {});
  }

  private callAll<T extends Scoped>(
    source: FaultSource,
    definitions: readonly T[],
    keyOf: (d: T) => string,
    computeOf: (d: T) => Compute,
  ): Slot[] {
    const slots: Slot[] = new Array(definitions.length);
    for (let i = 0; i < definitions.length; i++) {
      const definition = definitions[i]!;
      this.call(source, keyOf(definition), computeOf(definition), definition.scope, slots, i);
    }
    return slots;
  }

  /** Waits for what is pending, within the budget; what is still pending then is reported and left out. */
  private async settle(groups: readonly [FaultSource, Slot[], (i: number) => string][]): Promise<void> {
    await this.deadline.wait(this.pending.splice(0));
    for (const [source, slots, keyOf] of groups) {
      for (let i = 0; i < slots.length; i++) {
        if (slots[i] !== PENDING) continue;
        slots[i] = FAILED;
        this.report(new RenderError(source, keyOf(i), 'timeout', `timed out: the render's budget of ${this.plan.timeoutMs} ms ran out`));
      }
    }
  }

  /** Merges what a builder returned into its scope's context, or marks the builder failed. */
  private absorb(label: string, scope: number, value: Slot): void {
    if (value === undefined) return;
    if (value !== FAILED) {
      try {
        if (isPlainRecord(value)) {
          Object.assign(this.contextOf(scope), value);
          return;
        }
        this.report(
          new RenderError('builder', label, 'invalid', `returned ${describe(value)}; expected an object of context values, or nothing`),
        );
      } catch (error) {
        this.fail('builder', label, error, ' reading what it returned');
      }
    }
    const failed = (this.failedBuilders[scope] ??= []);
    failed.push(label);
    this.views[scope] ??= guardContext(this.contextOf(scope), failed);
  }

  private tags(values: Slot[]): readonly Tag[] {
    const tags: Tag[] = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === FAILED) continue;
      const { key } = this.plan.tags[i]!;
      const text = tagText(value);
      if (text === undefined) this.report(new RenderError('tag', key, 'invalid', `gave an invalid value: ${tagProblem(value)}`));
      else if (text !== '') tags.push({ key, value: text });
    }
    const bound = 3 * this.plan.measurement.length + tagBytesBound(tags);
    this.meterKeyBytesBound = bound;
    if (bound <= this.keyLimit) return this.sameAsLastRender(tags);
    const fitting: Tag[] = [];
    this.meterKeyBytes = this.fit(measurementBytes(this.plan.measurement), tags, fitting, '');
    return this.sameAsLastRender(fitting);
  }

  /**
   * The meter's tags as the last render of this plan gave them when they are the same, so that
   * each series row finds the tags it was merged with (see `pointTags`).
   */
  private sameAsLastRender(tags: Tag[]): readonly Tag[] {
    const last = this.memory.lastMeterTags;
    if (
      last !== undefined &&
      last.length === tags.length &&
      last.every((tag, i) => tag.key === tags[i]!.key && tag.value === tags[i]!.value)
    )
      return last;
    for (const tag of tags) Object.freeze(tag);
    const frozen = Object.freeze(tags);
    this.memory.lastMeterTags = frozen;
    return frozen;
  }

  /**
   * Puts in `fitting` each tag that keeps the series key within InfluxDB's limit, counting from
   * `usedBytes`; each other tag is left out and reported (a tag left out loses one label; a line
   * refused loses every line of the write). Returns the bytes of the key.
   */
  private fit(usedBytes: number, tags: readonly Tag[], fitting: Tag[], where: string): number {
    let used = usedBytes;
    for (const tag of tags) {
      const bytes = tagBytes(tag);
      if (used + bytes <= this.keyLimit) {
        fitting.push(tag);
        used += bytes;
      } else {
        const { leTagBytes } = this.plan;
        const length =
          leTagBytes === 0
            ? `${used + bytes} bytes long`
            : `${used + bytes + leTagBytes} bytes long on a histogram's bucket lines (with their ",le=")`;
        const detail = `gave a value${where} that makes the series key ${length}, over InfluxDB's limit of ${MAX_SERIES_KEY_BYTES}; the tag was left out`;
        this.report(new RenderError('tag', tag.key, 'invalid', detail));
      }
    }
    return used;
  }

  /** A series row's tags that fit in a series key after the meter's. */
  private fitRowTags(series: SeriesDefinition, meterTags: readonly Tag[], rowTags: readonly Tag[]): readonly Tag[] {
    if (this.meterKeyBytesBound + tagBytesBound(rowTags) <= this.keyLimit) return rowTags;
    this.meterKeyBytes ??= measurementBytes(this.plan.measurement) + meterTags.reduce((sum, tag) => sum + tagBytes(tag), 0);
    const fitting: Tag[] = [];
    this.fit(this.meterKeyBytes, rowTags, fitting, ` in series "${series.name}"`);
    return fitting;
  }

  private fields(values: Slot[]): FieldSample[] {
    const samples: FieldSample[] = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === FAILED || isAbsent(value)) continue;
      const { spec } = this.plan.fields[i]!;
      const problem = problemOf(spec, value);
      if (problem === undefined) samples.push({ spec, value: value as FieldSample['value'] });
      else this.report(new RenderError('field', spec.key, 'invalid', `gave an invalid value: ${problem}`));
    }
    return samples;
  }

  /**
   * The series' lines, all of them or (when its iteration throws) none: a series cut short would
   * look whole. A row that cannot be read is left out alone.
   */
  private seriesPoints(series: SeriesDefinition, rows: Slot, meterTags: readonly Tag[], points: Point[]): void {
    if (rows === FAILED || rows === undefined || rows === null) return;
    this.memory.rowsOf(series).use((seriesRows) => this.readSeries(seriesRows, rows, meterTags, points));
  }

  private readSeries(seriesRows: SeriesRows, rows: unknown, meterTags: readonly Tag[], points: Point[]): void {
    const { series } = seriesRows;
    const before = points.length;
    seriesRows.start();
    try {
      if (typeof rows === 'string' || typeof (rows as Iterable<unknown>)[Symbol.iterator] !== 'function') {
        this.report(
          new RenderError('series', series.name, 'invalid', `returned ${describe(rows)}; expected an iterable of { tags, fields } rows`),
        );
        return;
      }
      for (const row of rows as Iterable<unknown>) {
        const point = this.seriesPoint(seriesRows, row, meterTags);
        if (point !== undefined) points.push(point);
      }
    } catch (error) {
      points.length = before;
      this.fail('series', series.name, error, ' iterating its rows, so the whole series was left out');
    }
    seriesRows.end(points.length - before);
  }

  private seriesPoint(seriesRows: SeriesRows, row: unknown, meterTags: readonly Tag[]): Point | undefined {
    try {
      return this.readRow(seriesRows, row, meterTags);
    } catch (error) {
      this.fail('series', seriesRows.series.name, error, ' reading a row, which was left out');
      return undefined;
    }
  }

  private readRow(seriesRows: SeriesRows, row: unknown, meterTags: readonly Tag[]): Point | undefined {
    const { series } = seriesRows;
    const isRecord = isPlainRecord(row);
    const rowTags = isRecord ? (row.tags ?? {}) : undefined;
    const rowFields = isRecord ? row.fields : undefined;
    if (!isPlainRecord(rowTags) || !isPlainRecord(rowFields)) {
      this.report(new RenderError('series', series.name, 'invalid', `gave a row that is ${describe(row)}; expected { tags, fields }`));
      return undefined;
    }
    for (const key in rowTags) {
      if (series.tagKeys.includes(key)) continue;
      this.report(new RenderError('series', series.name, 'invalid', `gave a row with undeclared tag "${key}"; the row was left out`));
      return undefined;
    }
    const tagSet = seriesRows.tagSetOf(rowTags, this.report);
    for (const key in rowFields) {
      if (!seriesRows.fieldKeys.includes(key))
        this.report(new RenderError('series', series.name, 'invalid', `gave undeclared field "${key}"; it was left out`));
    }
    const { specs } = seriesRows;
    // Of the row's size: an array grown by `push` holds room for 16 more, for every row.
    const fields: FieldSample[] = new Array(specs.length);
    let present = 0;
    for (const spec of specs) {
      const value = rowFields[spec.key];
      if (isAbsent(value)) continue;
      const problem = problemOf(spec, value);
      if (problem === undefined) fields[present++] = { spec, value: value as FieldSample['value'] };
      else this.report(new RenderError('field', spec.key, 'invalid', `gave an invalid value in series "${series.name}": ${problem}`));
    }
    if (present === 0) return undefined;
    if (present < specs.length) fields.length = present;
    return { series: series.name, tags: this.pointTags(series, tagSet, meterTags), fields };
  }

  /** The meter's tags and the row's, merged once per tag set and meter tags; the row's cut to fit a series key when they would not. */
  private pointTags(series: SeriesDefinition, tagSet: TagSet, meterTags: readonly Tag[]): readonly Tag[] {
    if (tagSet.meterTags === meterTags) return tagSet.pointTags!;
    // Over-long keys are reported at every render, and so never kept.
    if (this.meterKeyBytesBound + tagSet.bound > this.keyLimit)
      return mergeTags(meterTags, this.fitRowTags(series, meterTags, tagSet.tags));
    tagSet.meterTags = meterTags;
    return (tagSet.pointTags = Object.freeze(mergeTags(meterTags, tagSet.tags)));
  }
}

/** Runs one render of `plan`: builders in order, then tags, fields and series, within the time budget. */
export function collect(plan: Plan, memory: MeterMemory, report: Report): Promise<Snapshot> {
  return new Collection(plan, memory, new Deadline(plan.timeoutMs), report).run();
}
