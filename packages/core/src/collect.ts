import { guardContext } from './context.js';
import { Deadline } from './deadline.js';
import { ContextUnavailableError, RenderError, describe, messageOf, type FaultSource } from './errors.js';
import { isAbsent, problemWith } from './field-types.js';
import { normalizeTagValue } from './line-protocol.js';
import { compareByBytes } from './names.js';
import type { Compute, Plan, Scoped, SeriesDefinition } from './plan.js';
import type { FieldSample, Point, Snapshot, Tag } from './snapshot.js';

const PENDING = Symbol('pending');
const FAILED = Symbol('failed');
type Slot = unknown;

type Report = (error: RenderError) => void;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  // Most values are numbers: test the type before looking a `then` up on a boxed primitive.
  return (typeof value === 'object' || typeof value === 'function') && typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** A tag's value as text, '' when absent, or undefined when it cannot be a tag. */
function tagText(value: unknown): string | undefined {
  if (typeof value === 'string') return normalizeTagValue(value);
  if (isAbsent(value)) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return undefined;
}

const tagProblem = (value: unknown) => `expected a string, number or boolean, got ${describe(value)}`;

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges two tag lists that are each sorted by key. */
function mergeTags(a: readonly Tag[], b: readonly Tag[]): Tag[] {
  const merged: Tag[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) merged.push(compareByBytes(a[i]!.key, b[j]!.key) <= 0 ? a[i++]! : b[j++]!);
  while (i < a.length) merged.push(a[i++]!);
  while (j < b.length) merged.push(b[j++]!);
  return merged;
}

/** One render: fresh contexts (one per scope), its own faults and deadline. Never shared between renders. */
class Collection {
  private readonly contexts: Record<string, unknown>[] = [];
  /** A scope's context as its functions see it: guarded once one of its builders has failed. */
  private readonly views: object[] = [];
  private readonly failedBuilders: string[][] = [];
  private readonly pending: Promise<unknown>[] = [];
  private finished = false;

  constructor(
    private readonly plan: Plan,
    private readonly deadline: Deadline,
    private readonly report: Report,
  ) {}

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
      const tagValues = this.callAll('tag', tags, (tag) => tag.key, (tag) => tag.compute);
      const fieldValues = this.callAll('field', fields, (field) => field.key, (field) => field.compute);
      const seriesRows = this.callAll('series', series, (one) => one.name, (one) => one.rows);
      if (this.pending.length > 0) {
        await this.settle([
          ['tag', tagValues, (i) => tags[i]!.key],
          ['field', fieldValues, (i) => fields[i]!.key],
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
      this.finished = true;
      this.deadline.dispose();
    }
  }

  private fail(source: FaultSource, key: string, error: unknown): void {
    if (error instanceof ContextUnavailableError) {
      this.report(new RenderError(source, key, 'skipped', `skipped: ${error.message}`, { cause: error }));
    } else {
      this.report(new RenderError(source, key, 'threw', `threw: ${messageOf(error)}`, { cause: error }));
    }
  }

  /**
   * Calls `compute` on this render's context and puts the result in `slots[index]`. A promise
   * leaves PENDING there until it settles, if it settles before the render is over.
   */
  private call(source: FaultSource, key: string, compute: Compute, scope: number, slots: Slot[], index: number): void {
    let result: unknown;
    try {
      result = compute(this.views[scope] ?? this.contextOf(scope));
    } catch (error) {
      this.fail(source, key, error);
      slots[index] = FAILED;
      return;
    }
    if (!isThenable(result)) {
      slots[index] = result;
      return;
    }
    slots[index] = PENDING;
    this.pending.push(
      Promise.resolve(result).then(
        (value) => {
          if (!this.finished) slots[index] = value;
        },
        (error: unknown) => {
          if (this.finished) return;
          slots[index] = FAILED;
          this.fail(source, key, error);
        },
      ),
    );
  }

  private contextOf(scope: number): Record<string, unknown> {
    return (this.contexts[scope] ??= {});
  }

  private callAll<T extends Scoped>(source: FaultSource, definitions: readonly T[], keyOf: (d: T) => string, computeOf: (d: T) => Compute): Slot[] {
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
      if (isPlainRecord(value)) {
        Object.assign(this.contextOf(scope), value);
        return;
      }
      this.report(new RenderError('builder', label, 'invalid', `returned ${describe(value)}; expected an object of context values, or nothing`));
    }
    const failed = (this.failedBuilders[scope] ??= []);
    failed.push(label);
    this.views[scope] ??= guardContext(this.contextOf(scope), failed);
  }

  private tags(values: Slot[]): Tag[] {
    const tags: Tag[] = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === FAILED) continue;
      const { key } = this.plan.tags[i]!;
      const text = tagText(value);
      if (text === undefined) this.report(new RenderError('tag', key, 'invalid', `gave an invalid value: ${tagProblem(value)}`));
      else if (text !== '') tags.push({ key, value: text });
    }
    return tags;
  }

  private fields(values: Slot[]): FieldSample[] {
    const samples: FieldSample[] = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === FAILED || isAbsent(value)) continue;
      const spec = this.plan.fields[i]!;
      const problem = problemWith(spec.type, value);
      if (problem === undefined) samples.push({ spec, value: value as FieldSample['value'] });
      else this.report(new RenderError('field', spec.key, 'invalid', `gave an invalid value: ${problem}`));
    }
    return samples;
  }

  private seriesPoints(series: SeriesDefinition, rows: Slot, meterTags: readonly Tag[], points: Point[]): void {
    if (rows === FAILED || rows === undefined || rows === null) return;
    if (typeof (rows as Iterable<unknown>)[Symbol.iterator] !== 'function' || typeof rows === 'string') {
      this.report(new RenderError('series', series.name, 'invalid', `returned ${describe(rows)}; expected an iterable of { tags, fields } rows`));
      return;
    }
    for (const row of rows as Iterable<unknown>) {
      const point = this.seriesPoint(series, row, meterTags);
      if (point !== undefined) points.push(point);
    }
  }

  private seriesPoint(series: SeriesDefinition, row: unknown, meterTags: readonly Tag[]): Point | undefined {
    const rowTags = isPlainRecord(row) ? (row.tags ?? {}) : undefined;
    const rowFields = isPlainRecord(row) ? row.fields : undefined;
    if (!isPlainRecord(rowTags) || !isPlainRecord(rowFields)) {
      this.report(new RenderError('series', series.name, 'invalid', `gave a row that is ${describe(row)}; expected { tags, fields }`));
      return undefined;
    }
    for (const key in rowTags) {
      if (series.tagKeys.includes(key)) continue;
      this.report(new RenderError('series', series.name, 'invalid', `gave a row with undeclared tag "${key}"; the row was left out`));
      return undefined;
    }
    const tags: Tag[] = [];
    for (const key of series.tagKeys) {
      const value = rowTags[key];
      const text = tagText(value);
      if (text === undefined) this.report(new RenderError('tag', key, 'invalid', `gave an invalid value in series "${series.name}": ${tagProblem(value)}`));
      else if (text !== '') tags.push({ key, value: text });
    }
    for (const key in rowFields) {
      if (!series.fields.has(key)) this.report(new RenderError('series', series.name, 'invalid', `gave undeclared field "${key}"; it was left out`));
    }
    const fields: FieldSample[] = [];
    for (const spec of series.fields.values()) {
      const value = rowFields[spec.key];
      if (isAbsent(value)) continue;
      const problem = problemWith(spec.type, value);
      if (problem === undefined) fields.push({ spec, value: value as FieldSample['value'] });
      else this.report(new RenderError('field', spec.key, 'invalid', `gave an invalid value in series "${series.name}": ${problem}`));
    }
    return fields.length > 0 ? { series: series.name, tags: mergeTags(meterTags, tags), fields } : undefined;
  }
}

/** Runs one render of `plan`: builders in order, then tags, fields and series, within the time budget. */
export function collect(plan: Plan, report: Report): Promise<Snapshot> {
  return new Collection(plan, new Deadline(plan.timeoutMs), report).run();
}
