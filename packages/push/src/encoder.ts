import type { Snapshot, SnapshotSource } from '@runometer/core';

/** A target's answer, as far as the pusher read it (bounded). */
export interface TargetAnswer {
  /** Its bytes, cut at the bound: a binary answer (OTLP's protobuf) is read from these. */
  readonly bytes: Uint8Array;
  /** The same as UTF-8 text (a character cut in two by the bound left out). */
  readonly text: string;
  /** Its `Content-Type`, or '' without one. */
  readonly contentType: string;
}

/** What an encoder knows of the render it turns into points. */
export interface Render {
  /** The source rendered: the pusher's. */
  readonly source: SnapshotSource;
  /** Reports what the render leaves out without failing it (to the pusher's `onError`, as a `render` failure). */
  report(problem: Error): void;
}

/** What a refused write's answer says of its batch. */
export interface Refusal {
  readonly message: string;
  /** How many points of the batch the target refused; the others were written. */
  readonly count: number;
  /** The refused points the answer names, as text (line protocol: the lines). */
  readonly lines: readonly string[];
}

/**
 * How a pusher writes to its target: what one render becomes (points, the unit the buffer bounds,
 * batches take and the stats count), the body of a request for a batch of them, and what a
 * refused write (400, 422, or a success that refuses part) says. The pusher does the rest the
 * same for every encoder: the bounded buffer, batches, gzip, timeouts, retries with backoff, what
 * is dropped, and the counts.
 */
export interface PushEncoder<Point = unknown> {
  /** The requests' `Content-Type` (a `headers` option may override it). */
  readonly contentType: string;
  /** The points of one render, in order; each snapshot holds its timestamp. One that throws fails the render, as a failed collect does. */
  points(snapshots: readonly Snapshot[], render: Render): Point[];
  /** The body of one request that carries `batch`, oldest point first. Must not throw: `points` made what it gets. */
  body(batch: readonly Point[]): Uint8Array<ArrayBuffer>;
  /**
   * What the answer to a 400 or 422 (bounded, whatever the target sent) says of
   * `batch`: refused points are not sent again. Must not throw.
   */
  refusal(answer: TargetAnswer, batch: readonly Point[]): Refusal;
  /**
   * For a target that may refuse part of a batch it answers with a success (OTLP's
   * `partial_success`): what that answer says was refused, if anything. Without it, a success's
   * answer is not read and the whole batch counts as written. Must not throw.
   */
  partialRefusal?(answer: TargetAnswer, batch: readonly Point[]): Refusal | undefined;
  /**
   * The target's words in an answer that failed (a 5xx, a 401), where they are not its text
   * (OTLP's protobuf `Status`). Without it, the text. Must not throw.
   */
  describe?(answer: TargetAnswer): string;
}
