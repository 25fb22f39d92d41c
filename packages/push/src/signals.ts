const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type Signal = (typeof SIGNALS)[number];

/** What to close on a signal: every open pusher that flushes on signals. */
const closers = new Set<() => Promise<void>>();
let closing: Promise<void> | undefined;

function onSignal(signal: Signal): void {
  // Were ours the only listener, the signal would have ended the process: it must still, after the flush.
  const oursAlone = process.listenerCount(signal) === 1;
  const raise = () => {
    stopListening();
    if (oursAlone) process.kill(process.pid, signal);
  };
  // A second signal during the flush is not made to wait for it.
  if (closing !== undefined) return raise();
  closing = Promise.allSettled([...closers].map((close) => close())).then(() => {
    closing = undefined;
    raise();
  });
}

const listeners = new Map<Signal, () => void>(SIGNALS.map((signal) => [signal, () => onSignal(signal)]));

function stopListening(): void {
  for (const [signal, listener] of listeners) process.off(signal, listener);
}

/**
 * Calls `close` on SIGTERM or SIGINT (with every other registered one, at once), then lets the
 * signal do what it would have done without us: where nothing else listens for it, it is raised
 * again and ends the process; where something else does, that listener decides. Returns the
 * unregistration; the listeners go when nothing is registered.
 */
export function closeOnSignals(close: () => Promise<void>): () => void {
  if (closers.size === 0 && closing === undefined) for (const [signal, listener] of listeners) process.on(signal, listener);
  closers.add(close);
  return () => {
    closers.delete(close);
    if (closers.size === 0 && closing === undefined) stopListening();
  };
}
