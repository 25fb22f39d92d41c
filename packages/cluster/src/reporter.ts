import { snapshotsOf, type Snapshot, type SnapshotSource } from '@runometer/core';
import { message, ours, type Message } from './protocol.js';
import { SpecTable } from './wire.js';

/** What a reporter gives back: a handle that stops it. */
export interface ReportHandle {
  /** Stops answering and removes every listener it added; says goodbye so that it is no longer asked. */
  close(): void;
  [Symbol.dispose](): void;
}

export interface ReporterTransport {
  /** Sends a message to the aggregator; must not throw (a transport that cannot deliver drops it). */
  send(message: Message): void;
  /** Tells the aggregator this reporter is there: when it starts, and when an aggregator looks for reporters. */
  hello(): void;
}

/**
 * The transport-independent side of a reporter: answers asks with the source's snapshots in the
 * wire format, says hello when it starts and when asked who is there.
 */
export function reporter(
  source: SnapshotSource,
  { send, hello }: ReporterTransport,
): { start(): void; receive(message: unknown): void; stop(): void } {
  if (typeof source?.collect !== 'function')
    throw new TypeError('source must be a SnapshotSource (a Runometer, or anything with collect())');
  const table = new SpecTable();
  let stopped = false;
  return {
    start: hello,
    receive(received) {
      const incoming = ours(received);
      if (stopped || incoming === undefined) return;
      if (incoming.type === 'discover') hello();
      if (incoming.type !== 'ask') return;
      const { id, reporter: known, knownSpecs } = incoming;
      // A source that fails (a closed meter) answers with no lines: the worker is there, with nothing to say.
      const answer = (snapshots: readonly Snapshot[]) => table.answer(snapshots, known, typeof knownSpecs === 'number' ? knownSpecs : 0);
      void source
        .collect()
        .then(snapshotsOf, (): readonly Snapshot[] => [])
        .then((snapshots) => {
          if (stopped) return;
          let wire;
          try {
            wire = answer(snapshots);
          } catch {
            wire = answer([]);
          }
          send(message('answer', { id, ...wire }));
        });
    },
    stop() {
      if (stopped) return;
      stopped = true;
      send(message('bye', {}));
    },
  };
}
