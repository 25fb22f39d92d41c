import cluster from 'node:cluster';
import type { SnapshotSource } from '@runometer/core';
import { reporter, type ReportHandle } from './reporter.js';
import { message, type Message } from './protocol.js';

const ignore = () => {};

/**
 * In a cluster worker: answers the primary's `clusterSource` with `source`'s snapshots over the
 * IPC channel. Adds one `message` listener to `process` (which node:cluster already keeps
 * referenced, so it keeps no worker alive that would otherwise exit); `close()` removes it.
 */
export function reportToPrimary(source: SnapshotSource): ReportHandle {
  if (typeof cluster?.on !== 'function' || cluster.isWorker !== true || typeof process.send !== 'function') {
    throw new Error('reportToPrimary() runs in a node:cluster worker (in the primary, use clusterSource(own))');
  }
  const send = (outgoing: Message) => {
    if (!process.connected) return;
    try {
      process.send!(outgoing, undefined, undefined, ignore);
    } catch {
      // The channel closed under us: the primary counts this worker as gone.
    }
  };
  const reporting = reporter(source, { send, hello: () => send(message('hello', {})) });
  const onMessage = (received: unknown) => reporting.receive(received);
  process.on('message', onMessage);
  reporting.start();
  const close = () => {
    process.off('message', onMessage);
    reporting.stop();
  };
  return { close, [Symbol.dispose]: close };
}
