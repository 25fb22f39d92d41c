export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };
type Listener = (outcome: Outcome) => void;

interface Subscription {
  outcome: Outcome | undefined;
  readonly listeners: Set<Listener>;
}

// One `.then` per thenable, however many renders wait on it. A promise that never settles and is
// returned at every render holds one small subscription, never the renders that gave up on it:
// `.then` closures that captured a render would keep it alive for as long as the promise.
const subscriptions = new WeakMap<object, Subscription>();

// A function of its own: a closure made beside a listener would share its scope, and keep it.
function subscribe(thenable: PromiseLike<unknown>): Subscription {
  const subscription: Subscription = { outcome: undefined, listeners: new Set() };
  const settle = (outcome: Outcome) => {
    subscription.outcome = outcome;
    for (const listener of subscription.listeners) listener(outcome);
    subscription.listeners.clear();
  };
  Promise.resolve(thenable).then(
    (value) => settle({ ok: true, value }),
    (error: unknown) => settle({ ok: false, error }),
  );
  subscriptions.set(thenable, subscription);
  return subscription;
}

/**
 * Calls `listener` once `thenable` settles, or at once if it already has; the function returned
 * stops listening, and lets go of the listener.
 */
export function onSettled(thenable: PromiseLike<unknown>, listener: Listener): () => void {
  const subscription = subscriptions.get(thenable) ?? subscribe(thenable);
  if (subscription.outcome !== undefined) {
    listener(subscription.outcome);
    return () => {};
  }
  const { listeners } = subscription;
  listeners.add(listener);
  return () => listeners.delete(listener);
}
