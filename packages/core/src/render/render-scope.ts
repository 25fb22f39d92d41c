import type { RenderScope } from '../model/plan.js';
import type { Outcome } from './settlement.js';

/** A fresh scope for one render (see `RenderScope`). */
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
