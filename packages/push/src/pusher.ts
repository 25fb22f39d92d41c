import { container as rootContainer, redactUrl, snapshotsOf, type SnapshotSource } from '@runometer/core';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { retryAfter, retryDelay } from './backoff.js';
import type { Refusal, Render } from './encoder.js';
import { checkOptions, type CheckedOptions, type PusherOptions } from './options.js';
import { readAnswer } from './read-answer.js';
import { PointBuffer } from './point-buffer.js';
import { PushError, warnOncePerError } from './push-error.js';
import { PushHealth, type PushStats } from './push-health.js';
import { closeOnSignals } from './signals.js';

const gzipped = promisify(gzip);

/** Statuses worth sending again: the target is busy, restarting or behind a proxy that is. */
const RETRIED_4XX = new Set([408, 425, 429]);
/** Statuses whose `Retry-After` is honoured. */
const ASKS_TO_WAIT = new Set([429, 503]);
/** What a message shows of an answer: BRIEF_CHARACTERS, each at most 4 UTF-8 bytes. */
const BRIEF_CHARACTERS = 500;
const MAX_BRIEF_ANSWER_BYTES = 4 * BRIEF_CHARACTERS;
/**
 * An answer to a refused write may quote what it refuses (InfluxDB 3.x each line, in JSON): at
 * most twice each point's bytes (escaped) plus a little per point, so four times the batch's
 * bytes and 64 KiB hold any answer that InfluxDB gives.
 */
const refusalAnswerBytes = (batchBytes: number) => 4 * batchBytes + 65_536;

/** How one request ended. */
type Outcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'refused'; readonly error: PushError }
  | { readonly kind: 'dropped'; readonly error: PushError }
  /** `wait`: the ms a `Retry-After` asked for, in place of the backoff. */
  | { readonly kind: 'retry'; readonly error: PushError; readonly wait?: number };

/** Node's timers hold the process open unless unref'd; Deno's and Bun's may be numbers. */
function unref(timer: ReturnType<typeof setTimeout>): void {
  (timer as { unref?: () => void }).unref?.();
}

/** Resolves after `ms`, or as soon as `signal` aborts; does not keep the process alive. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    unref(timer);
    signal.addEventListener('abort', done);
  });
}

/** `promise`, or undefined as soon as `signal` aborts. */
function unless<T>(promise: Promise<T> | undefined, signal: AbortSignal): Promise<T | undefined> {
  if (promise === undefined || signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const done = (value: T | undefined) => {
      signal.removeEventListener('abort', aborted);
      resolve(value);
    };
    const aborted = () => done(undefined);
    signal.addEventListener('abort', aborted);
    void promise.then(done, () => done(undefined));
  });
}

/** Nanoseconds since the epoch, as a meter stamps its renders. */
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

/**
 * Renders `source` (a meter, a cluster aggregate: any SnapshotSource) every interval and POSTs the
 * points, each stamped with its render's time, as its encoder writes them: by default line
 * protocol, to InfluxDB 1.x, 2.x or 3.x, Telegraf's http_listener_v2 or VictoriaMetrics. Points
 * the target cannot take yet wait in a bounded buffer and go in order, retried with backoff;
 * `close()` renders and flushes a last time.
 */
export class Pusher {
  private readonly options: CheckedOptions;
  private readonly buffer: PointBuffer<unknown>;
  private readonly onError: (error: PushError) => void;
  private readonly health: PushHealth;
  private readonly statsOf = (): PushStats => this.stats;
  private counts = { sent: 0, dropped: 0, refused: 0, retries: 0 };
  private lastError: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private nextTick = 0;
  private collecting: Promise<void> | undefined;
  private draining: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  /** Aborted at close's deadline: ends waits and the request in flight. */
  private readonly giveUp = new AbortController();
  /** Ends the wait before a retry now: close() makes a last try at once. */
  private wake: (() => void) | undefined;
  private unregisterSignals: (() => void) | undefined;
  private readonly renderContext: Render;

  constructor(
    private readonly source: SnapshotSource,
    options: PusherOptions,
  ) {
    if (typeof source?.collect !== 'function')
      throw new TypeError('Pusher needs a source with collect(): a Runometer, or any SnapshotSource');
    this.options = checkOptions(options);
    this.buffer = new PointBuffer(this.options.maxBufferPoints);
    this.onError = this.options.onError ?? warnOncePerError(redactUrl(new URL(this.options.target.writeUrl).origin));
    this.health = (this.options.container ?? rootContainer).resolve(PushHealth);
    this.health.track(this.statsOf);
    this.renderContext = {
      source,
      report: (problem) => this.report(new PushError(problem.message, { failure: 'render', retried: false, cause: problem })),
    };
  }

  /** What this pusher has done so far. */
  get stats(): PushStats {
    const { sent, dropped, refused, retries } = this.counts;
    return {
      sent,
      dropped,
      refused,
      retries,
      buffered: this.buffer.size,
      ...(this.lastError === undefined ? {} : { lastError: this.lastError }),
    };
  }

  /** Renders now and then every interval; the timer does not keep the process alive. */
  start(): this {
    if (this.closing !== undefined) throw new Error('Pusher is closed: make a new one');
    if (this.timer !== undefined) return this;
    if (this.options.flushOnSignals) this.unregisterSignals = closeOnSignals(() => this.close());
    this.nextTick = Date.now();
    this.tick();
    return this;
  }

  /**
   * Renders now and sends everything buffered, retrying as the timer's renders do: resolves once
   * the buffer is empty (with the target down, once it is back, or at close()).
   */
  async flush(): Promise<void> {
    if (this.closing !== undefined) throw new Error('Pusher is closed: make a new one');
    await this.render();
    await this.drain();
  }

  /**
   * Stops the timer, renders a last time and sends what is buffered, for up to `closeTimeout` ms;
   * what is still buffered then is dropped and counted. Always resolves; calling it again returns
   * the same promise.
   */
  close(): Promise<void> {
    return (this.closing ??= this.closeWithin(this.options.closeTimeout));
  }

  /** `await using pusher = new Pusher(…).start()` closes it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async closeWithin(deadline: number): Promise<void> {
    clearTimeout(this.timer);
    this.unregisterSignals?.();
    const timer = setTimeout(() => this.giveUp.abort(), deadline);
    this.wake?.();
    try {
      // A render that hangs must not hold close() past its deadline.
      await unless(this.collecting, this.giveUp.signal);
      if (!this.source.closed) await unless(this.render(), this.giveUp.signal);
      await this.drain();
    } finally {
      clearTimeout(timer);
      this.giveUp.abort();
      const left = this.buffer.clear();
      if (left > 0) {
        this.counts.dropped += left;
        this.failed(
          new PushError(`close() gave up after ${deadline} ms: ${left} points not sent, dropped`, { failure: 'close', retried: false }),
        );
      }
      this.health.retire(this.statsOf);
    }
  }

  private tick(): void {
    // A render still running when the next is due makes it skip that turn.
    if (this.collecting === undefined) void this.render().then(() => this.drain());
    const now = Date.now();
    do this.nextTick += this.options.interval;
    while (this.nextTick <= now);
    this.timer = setTimeout(() => this.tick(), this.nextTick - now);
    unref(this.timer);
  }

  /** Collects once and buffers the points, each stamped with the render's time; a failed render is reported, not thrown. */
  private render(): Promise<void> {
    return (this.collecting ??= this.collectInto().finally(() => (this.collecting = undefined)));
  }

  private async collectInto(): Promise<void> {
    let points: readonly unknown[];
    try {
      const collected = await this.source.collect();
      const renderedAt = nowNs();
      points = this.options.encoder.points(
        snapshotsOf(collected).map((snapshot) => (snapshot.timestamp === undefined ? { ...snapshot, timestamp: renderedAt } : snapshot)),
        this.renderContext,
      );
    } catch (cause) {
      this.report(
        new PushError(`render failed: ${cause instanceof Error ? cause.message : String(cause)}`, {
          failure: 'render',
          retried: false,
          cause,
        }),
      );
      return;
    }
    // A render that close() stopped waiting for: nothing will send it.
    if (this.giveUp.signal.aborted) this.counts.dropped += points.length;
    else this.counts.dropped += this.buffer.push(points);
  }

  /** Sends the buffer, a batch at a time and in order, until it is empty or close() gives up. */
  private drain(): Promise<void> {
    return (this.draining ??= this.sendAll().finally(() => (this.draining = undefined)));
  }

  private async sendAll(): Promise<void> {
    let retry = 0;
    while (this.buffer.size > 0 && !this.giveUp.signal.aborted) {
      const batch = this.buffer.take(this.options.maxBatchPoints);
      const outcome = await this.send(batch);
      if (outcome.kind === 'retry') {
        this.counts.dropped += this.buffer.release();
        // Aborted by close()'s deadline: close() reports what it leaves.
        if (this.giveUp.signal.aborted) return;
        this.failed(outcome.error);
        retry++;
        const wait = outcome.wait ?? retryDelay(retry, this.options.minRetryDelay, this.options.maxRetryDelay);
        await this.waitBeforeRetry(wait);
        if (!this.giveUp.signal.aborted) this.counts.retries++;
        continue;
      }
      this.buffer.finish();
      retry = 0;
      if (outcome.kind === 'sent') {
        this.counts.sent += batch.length;
        this.lastError = undefined;
      } else if (outcome.kind === 'refused') {
        const refused = outcome.error.refusedCount!;
        this.counts.refused += refused;
        this.counts.sent += batch.length - refused;
        this.failed(outcome.error);
      } else {
        this.counts.dropped += batch.length;
        this.failed(outcome.error);
      }
    }
  }

  /** Waits `ms` before a retry, or less if close() wakes it or gives up. */
  private async waitBeforeRetry(ms: number): Promise<void> {
    const waiting = new AbortController();
    const stop = () => waiting.abort();
    this.wake = stop;
    this.giveUp.signal.addEventListener('abort', stop);
    try {
      await sleep(ms, waiting.signal);
    } finally {
      this.wake = undefined;
      this.giveUp.signal.removeEventListener('abort', stop);
    }
  }

  /** One POST of `batch`, gzipped when large enough, aborted after `timeout` ms or at close's deadline. */
  private async send(batch: readonly unknown[]): Promise<Outcome> {
    const bytes = this.options.encoder.body(batch);
    const gzip = bytes.byteLength >= this.options.gzipThreshold;
    const body = gzip ? new Uint8Array(await gzipped(bytes)) : bytes;
    const headers = gzip ? { ...this.options.target.headers, 'Content-Encoding': 'gzip' } : this.options.target.headers;
    const request = new AbortController();
    const timer = setTimeout(() => request.abort(new PushTimeout()), this.options.timeout);
    const giveUp = () => request.abort(this.giveUp.signal.reason);
    if (this.giveUp.signal.aborted) giveUp();
    else this.giveUp.signal.addEventListener('abort', giveUp);
    try {
      // A redirect followed would turn the POST into a GET on 301 and 302: say where it points instead.
      const response = await fetch(this.options.target.writeUrl, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: request.signal,
      });
      const status = response.status;
      const { encoder } = this.options;
      const refused = status === 400 || status === 422;
      // A success's body is read only by an encoder that finds refusals in it; others up to what their message needs.
      const readsRefusal = refused || (response.ok && encoder.partialRefusal !== undefined);
      const answer = await readAnswer(
        response,
        readsRefusal ? refusalAnswerBytes(bytes.byteLength) : response.ok ? 0 : MAX_BRIEF_ANSWER_BYTES,
      );
      const said = `${status} ${response.statusText}`.trim();
      if (response.ok) {
        const refusal = encoder.partialRefusal?.(answer, batch);
        return refusal === undefined || refusal.count === 0 ? { kind: 'sent' } : refusedOutcome(said, status, refusal, batch.length);
      }
      if (refused) return refusedOutcome(said, status, encoder.refusal(answer, batch), batch.length);
      const words = (encoder.describe?.(answer) ?? answer.text).trim();
      const detail = words === '' ? '' : `: ${brief(words)}`;
      if (status >= 500 || RETRIED_4XX.has(status)) {
        const wait = ASKS_TO_WAIT.has(status) ? retryAfter(response.headers.get('retry-after')) : undefined;
        const error = new PushError(`${said}${detail}`, { failure: 'status', status, retried: true });
        return wait === undefined ? { kind: 'retry', error } : { kind: 'retry', error, wait };
      }
      if (status >= 300 && status < 400) {
        const location = response.headers.get('location');
        const to = location === null ? 'nowhere said' : redactUrl(location);
        const error = new PushError(`${said}: the target redirects to ${to}; give that as url (points dropped)`, {
          failure: 'status',
          status,
          retried: false,
        });
        return { kind: 'dropped', error };
      }
      return {
        kind: 'dropped',
        error: new PushError(`${said}${detail} (points dropped: retrying would not change this answer)`, {
          failure: 'status',
          status,
          retried: false,
        }),
      };
    } catch (cause) {
      const timedOut = request.signal.reason instanceof PushTimeout;
      const why = timedOut ? `no answer within ${this.options.timeout} ms` : describeNetworkError(cause);
      return { kind: 'retry', error: new PushError(why, { failure: timedOut ? 'timeout' : 'network', retried: true, cause }) };
    } finally {
      clearTimeout(timer);
      this.giveUp.signal.removeEventListener('abort', giveUp);
    }
  }

  private failed(error: PushError): void {
    this.lastError = error.message;
    this.health.failed(this.statsOf);
    this.report(error);
  }

  private report(error: PushError): void {
    try {
      this.onError(error);
    } catch {
      // A broken error handler must not stop the pushing it reports on.
    }
  }
}

class PushTimeout extends Error {}

/** A write of which the target refused `refusal.count` points out of `batchSize`: none is sent again. */
function refusedOutcome(said: string, status: number, refusal: Refusal, batchSize: number): Outcome {
  const error = new PushError(`${said}: ${brief(refusal.message)} (${refusal.count} of ${batchSize} points refused, not sent again)`, {
    failure: 'refused',
    status,
    retried: false,
    refusedCount: refusal.count,
    refusedLines: refusal.lines,
  });
  return { kind: 'refused', error };
}

/** The target's words, cut to a length that a message and a string field can carry. */
function brief(text: string): string {
  return text.length > BRIEF_CHARACTERS ? `${text.slice(0, BRIEF_CHARACTERS)}…` : text;
}

/** fetch's "fetch failed" says little: its cause names the error (ECONNREFUSED…). */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return code === undefined || message.includes(code) ? message : `${message} (${code})`;
}
