/** What one render offers every function it calls, besides the context. */
export interface RenderScope {
  /**
   * `read()`'s result, computed once per render and shared by every caller in it, across
   * presets: two presets that read the same source see the same moment. `read` is the key, so
   * pass one function (a module-level one, or a method bound once), not a new closure per call.
   * A throw is kept too, and thrown to every caller.
   */
  once<T>(read: () => T): T;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** A fresh scope for one render. */
export function renderScope(): RenderScope {
  let outcomes: Map<Function, Outcome> | undefined;
  return {
    once<T>(read: () => T): T {
      outcomes ??= new Map();
      let outcome = outcomes.get(read);
      if (outcome === undefined) {
        try {
          outcome = { ok: true, value: read() };
        } catch (error) {
          outcome = { ok: false, error };
        }
        outcomes.set(read, outcome);
      }
      if (outcome.ok) return outcome.value as T;
      throw outcome.error;
    },
  };
}
