import { snapshotsOf, type FieldSample, type Runometer, type Snapshot, type SnapshotSource, type Tag } from '@runometer/core';
import { normalizeTagValue } from '@runometer/core/format';
import { message, type Answer, type Ask } from './protocol.js';
import type { GatherCounts, GatherTally } from './presets.js';
import { tagged, tagsOf, withTags } from './tags.js';
import { decodeAnswer, knownSpecs, type KnownSpecs } from './decode-answer.js';

/**
 * One second: a reporter answers in well under a millisecond plus its render, so one that has not
 * answered in a second has a blocked event loop (which its own lines would show, had it answered).
 * With the primary's own render (2 s budget by default) running alongside, a scrape ends within
 * about two seconds, well inside Telegraf's 5 s timeout.
 */
export const DEFAULT_TIMEOUT_MS = 1000;

export interface AggregateOptions {
  /** Milliseconds each reporter has to answer a scrape; one that has not is left out of it and counted as timed out. */
  readonly timeout?: number;
  /**
   * Tags for every line, the own and each reporter's, under those the source adds itself (under
   * PM2: `{ worker: process.env.NODE_APP_INSTANCE }`, so that an instance's threads carry it too).
   */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * Called with each answer refused (see decodeAnswer): the error names the reporter by its tags
   * and what was wrong. By default the first refusal of a source is printed with console.warn.
   */
  readonly onError?: (error: Error) => void;
}

/** What an aggregate source is: a source of snapshots that is closed once it is no longer wanted. */
export interface AggregateSource extends SnapshotSource {
  /** The own snapshots first, then each reporter's, in the order of their ids. */
  collect(): Promise<Snapshot[]>;
  /** Stops listening for reporters; a scrape in flight ends at once with what it has. Never closes `own`. */
  close(): void;
  [Symbol.dispose](): void;
}

/** A reporter as its transport knows it: the tags its lines get, and how to ask it. */
export interface Peer {
  readonly tags: readonly Tag[];
  /** Sends the ask; calls `lost` if it cannot be delivered. */
  ask(ask: Ask, lost: () => void): void;
}

interface Reporter {
  readonly peer: Peer;
  readonly known: KnownSpecs;
}

// From a random start, so that two sources, or two copies of this package, in one primary seldom
// share an ask's id (each also checks that an answer reads as its own before taking it).
let nextAskId = Math.floor(Math.random() * 2 ** 30);

/** One gather: every reporter asked at once, settled by its answer, its loss, or the timeout. */
class Gathering {
  readonly id = ++nextAskId;
  private readonly pending: Map<number, Reporter>;
  private readonly answers = new Map<number, Snapshot[]>();
  private answered = 0;
  private gone = 0;
  private readonly asked: number;
  private readonly order: number[];
  private readonly timer: ReturnType<typeof setTimeout>;
  private ended = false;
  private finish!: (counts: GatherCounts) => void;
  readonly done = new Promise<GatherCounts>((resolve) => (this.finish = resolve));

  constructor(
    reporters: ReadonlyMap<number, Reporter>,
    timeoutMs: number,
    private readonly onRefused: (error: Error) => void,
  ) {
    // In the order of their ids, so that a body lists workers and threads the same way every time.
    this.pending = new Map([...reporters].sort(([a], [b]) => a - b));
    this.asked = this.pending.size;
    this.order = [...this.pending.keys()];
    this.timer = setTimeout(() => this.end(), timeoutMs);
    this.timer.unref?.();
    for (const [key, { peer, known }] of this.pending) {
      peer.ask(message('ask', { id: this.id, reporter: known.reporter, knownSpecs: known.specs.length }), () => this.lose(key));
    }
    if (this.pending.size === 0) this.end();
  }

  receive(key: number, answer: Answer): void {
    const reporter = this.pending.get(key);
    if (this.ended || reporter === undefined || answer.id !== this.id) return;
    this.pending.delete(key);
    try {
      this.answers.set(key, decodeAnswer(answer, reporter.known, reporter.peer.tags));
      this.answered++;
    } catch (error) {
      // Its lines are left out, as a late answer's would be: counted as timed out, without waiting for the timeout.
      this.onRefused(new Error(`${describeTags(reporter.peer.tags)}: ${(error as Error).message}`));
    }
    if (this.pending.size === 0) this.end();
  }

  lose(key: number): void {
    if (this.ended || !this.pending.delete(key)) return;
    this.gone++;
    if (this.pending.size === 0) this.end();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.finish({ asked: this.asked, answered: this.answered, timedOut: this.asked - this.answered - this.gone, gone: this.gone });
  }

  /** The answers, in the order the reporters were asked. */
  snapshots(): Snapshot[] {
    return this.order.flatMap((key) => this.answers.get(key) ?? []);
  }
}

const describeTags = (tags: readonly Tag[]) => tags.map(({ key, value }) => `${key}=${value}`).join(',');

/**
 * What is the same for cluster workers and worker threads: the reporters known, one gather at a
 * time shared by concurrent scrapes, the counts on the own line, the own lines tagged.
 */
export class Aggregator implements AggregateSource {
  private readonly reporters = new Map<number, Reporter>();
  private gathering: Gathering | undefined;
  private discovery: Promise<void> | undefined;
  private undiscovered = new Set<number>();
  private discovered: () => void = () => {};
  private inFlight: Promise<Snapshot[]> | undefined;
  private isClosed = false;
  private readonly timeoutMs: number;
  private readonly ownTags: readonly Tag[];
  private readonly tags: readonly Tag[];
  private readonly onError: (error: Error) => void;

  constructor(
    private readonly own: SnapshotSource,
    ownTags: readonly Tag[],
    private readonly counts: { readonly meter: Runometer; readonly tally: GatherTally },
    options: AggregateOptions,
    private readonly onClose: () => void,
  ) {
    if (typeof own?.collect !== 'function') throw new TypeError('own must be a SnapshotSource (a Runometer, or anything with collect())');
    const { timeout = DEFAULT_TIMEOUT_MS, tags = {}, onError } = options;
    if (onError !== undefined && typeof onError !== 'function') throw new TypeError(`onError must be a function, got ${typeof onError}`);
    if (typeof timeout !== 'number' || !(timeout > 0))
      throw new RangeError(`timeout must be a positive number of milliseconds, got ${String(timeout)}`);
    // Normalised as a meter's tags are, so that every line stays one line.
    const normalized: Record<string, string> = {};
    for (const [key, value] of Object.entries(tags ?? {})) {
      const text = typeof value === 'string' ? normalizeTagValue(value) : '';
      if (text === '' || key === '')
        throw new TypeError(`tags must map names to non-empty strings; tag "${key}" is ${JSON.stringify(value)}`);
      normalized[key] = text;
    }
    this.timeoutMs = timeout;
    this.onError = onError ?? warnOnce(own.name);
    this.tags = tagsOf(normalized);
    this.ownTags = withTags(this.tags, ownTags);
  }

  get name(): string | undefined {
    return this.own.name;
  }

  get closed(): boolean {
    return this.isClosed || this.own.closed === true;
  }

  /**
   * The peers that were there before this source, asked who reports: the first scrape waits until
   * each has said hello, or for the timeout (a peer without a reporter never does), so that it does
   * not miss reporters that were there all along.
   */
  discover(keys: Iterable<number>): void {
    this.undiscovered = new Set(keys);
    if (this.undiscovered.size === 0) return;
    this.discovery = new Promise<void>((resolve) => {
      this.discovered = () => {
        clearTimeout(timer);
        this.discovery = undefined;
        resolve();
      };
      const timer = setTimeout(this.discovered, this.timeoutMs);
      timer.unref?.();
    });
  }

  private seen(key: number): void {
    if (this.undiscovered.delete(key) && this.undiscovered.size === 0) this.discovered();
  }

  /** A reporter said hello: it is asked from the next scrape on (a newer hello replaces an older one). */
  add(key: number, peer: Peer): void {
    const known = this.reporters.get(key)?.known ?? knownSpecs();
    this.reporters.set(key, { peer: { ...peer, tags: withTags(this.tags, peer.tags) }, known });
    this.seen(key);
  }

  /** A reporter went away: counted as gone if it was being asked, and asked no more. */
  remove(key: number): void {
    this.reporters.delete(key);
    this.gathering?.lose(key);
    this.seen(key);
  }

  receive(key: number, answer: Answer): void {
    this.gathering?.receive(key, answer);
  }

  /** Concurrent scrapes share the gather in flight. */
  collect(): Promise<Snapshot[]> {
    if (this.isClosed) return Promise.reject(new Error(`aggregate source of ${this.own.name ?? 'a source'} is closed`));
    return (this.inFlight ??= this.gather().finally(() => (this.inFlight = undefined)));
  }

  private async gather(): Promise<Snapshot[]> {
    if (this.discovery !== undefined) await this.discovery;
    const gathering = (this.gathering = new Gathering(this.reporters, this.timeoutMs, this.onError));
    try {
      const [own, counts] = await Promise.all([this.own.collect(), gathering.done]);
      this.counts.tally.last = counts;
      const { points } = await this.counts.meter.collect();
      return [...withCounts(snapshotsOf(own), this.ownTags, points[0]?.fields ?? [], this.own.name), ...gathering.snapshots()];
    } finally {
      if (this.gathering === gathering) this.gathering = undefined;
      gathering.end();
    }
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.gathering?.end();
    this.discovered();
    this.reporters.clear();
    this.onClose();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** The default onError: the first refusal, once per source, so that a worker that sends garbage at every scrape does not flood the log. */
function warnOnce(name = 'a source'): (error: Error) => void {
  let warned = false;
  return (error) => {
    if (warned) return;
    warned = true;
    console.warn(`@runometer/cluster, aggregate of ${name}: ${error.message} (warned once; set onError to see every refused answer)`);
  };
}

/**
 * The own snapshots with the aggregate's tags on every line, and the counts on the own line: the
 * first line that belongs to no series. A source without one gets a line of its own.
 */
function withCounts(own: readonly Snapshot[], ownTags: readonly Tag[], counts: readonly FieldSample[], name = 'runometer'): Snapshot[] {
  const keys = new Set(counts.map(({ spec }) => spec.key));
  let placed = false;
  const snapshots = own.map((snapshot) => {
    const result = tagged(snapshot, ownTags);
    if (placed) return result;
    const index = result.points.findIndex((point) => point.series === undefined);
    if (index === -1) return result;
    placed = true;
    const points = [...result.points];
    const line = points[index]!;
    points[index] = { ...line, fields: [...line.fields.filter(({ spec }) => !keys.has(spec.key)), ...counts] };
    return { ...result, points };
  });
  if (!placed) snapshots.push({ measurement: own[0]?.measurement ?? name, points: [{ tags: ownTags, fields: counts }] });
  return snapshots;
}
