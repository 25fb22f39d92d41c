import { BroadcastChannel, MessageChannel, parentPort, type MessagePort } from 'node:worker_threads';
import type { SnapshotSource } from '@runometer/core';
import { DISCOVERY_CHANNEL, message } from './protocol.js';
import { reporter, type ReportHandle } from './reporter.js';

/**
 * In a worker thread: answers the parent's `threadsSource` with `source`'s snapshots. It posts one
 * message on `port` (a hello carrying a MessagePort of its own, over which every ask and answer
 * then goes), again whenever a new `threadsSource` asks who is there (over a BroadcastChannel), and
 * nothing else; its port and channel are unreferenced, so they keep no thread alive.
 */
export function reportToParent(source: SnapshotSource, port: MessagePort | null = parentPort): ReportHandle {
  if (port === null || typeof port?.postMessage !== 'function') {
    throw new Error(
      'reportToParent() runs in a worker thread, or is given the MessagePort its parent listens on (in the parent, use threadsSource(own))',
    );
  }
  let own: MessagePort | undefined;
  const onAsk = (event: { data: unknown }) => reporting.receive(event.data);
  const hello = () => {
    own?.close();
    const channel = new MessageChannel();
    own = channel.port1;
    own.addEventListener('message', onAsk as never);
    own.start();
    own.unref?.();
    try {
      port.postMessage(message('hello', { port: channel.port2 }), [channel.port2]);
    } catch {
      // The parent's side is gone: nothing to report to.
    }
  };
  const reporting = reporter(source, {
    send(outgoing) {
      try {
        own?.postMessage(outgoing);
      } catch {
        // Closed: the parent counts this thread as gone.
      }
    },
    hello,
  });
  const discovery = new BroadcastChannel(DISCOVERY_CHANNEL);
  discovery.onmessage = (event) => reporting.receive((event as { data: unknown }).data);
  discovery.unref?.();
  reporting.start();
  const close = () => {
    reporting.stop();
    discovery.close();
    own?.close();
  };
  return { close, [Symbol.dispose]: close };
}
