const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
type Signal = (typeof SIGNALS)[number];

interface Hub {
  /** What to close on a signal: every open pusher that flushes on signals. */
  readonly closers: Set<() => Promise<void>>;
  closing: Promise<void> | undefined;
  readonly listeners: Map<Signal, () => void>;
}

// One hub per process, shared by every copy of this package: two copies listening apart would
// each see the other's listener, and neither would raise the signal again.
const HUB = Symbol.for('@runometer/push: close on signals');

function hub(): Hub {
  const global = globalThis as { [HUB]?: Hub };
  return (global[HUB] ??= {
    closers: new Set(),
    closing: undefined,
    listeners: new Map(SIGNALS.map((signal) => [signal, () => onSignal(global[HUB]!, signal)])),
  });
}

function onSignal(state: Hub, signal: Signal): void {
  // Were ours the only listener, the signal would have ended the process: it must still, after the flush.
  const oursAlone = process.listenerCount(signal) === 1;
  const raise = () => {
    stopListening(state);
    if (oursAlone) process.kill(process.pid, signal);
  };
  // A second signal during the flush is not made to wait for it.
  if (state.closing !== undefined) return raise();
  state.closing = Promise.allSettled([...state.closers].map((close) => close())).then(() => {
    state.closing = undefined;
    raise();
  });
}

function stopListening(state: Hub): void {
  for (const [signal, listener] of state.listeners) process.off(signal, listener);
}

/**
 * Calls `close` on SIGTERM or SIGINT (with every other registered one, at once), then lets the
 * signal do what it would have done without us: where nothing else listens for it, it is raised
 * again and ends the process; where something else does, that listener decides. Returns the
 * unregistration; the listeners go when nothing is registered.
 */
export function closeOnSignals(close: () => Promise<void>): () => void {
  const state = hub();
  if (state.closers.size === 0 && state.closing === undefined)
    for (const [signal, listener] of state.listeners) process.on(signal, listener);
  state.closers.add(close);
  return () => {
    state.closers.delete(close);
    if (state.closers.size === 0 && state.closing === undefined) stopListening(state);
  };
}
