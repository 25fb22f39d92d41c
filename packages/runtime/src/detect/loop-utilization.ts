import { performance } from 'node:perf_hooks';

interface LoopHost {
  eventLoopUtilization?: () => { readonly idle: number; readonly active: number };
  nodeTiming?: { readonly loopStart?: number };
}

/**
 * Whether `performance.eventLoopUtilization()` measures the loop: its clock has run. Bun and Deno
 * answer zeros always; Node answers zeros too until its loop has started, which it tells by a
 * `loopStart` of -1: then there is no answer yet (undefined), and the question is asked again later.
 */
export function measuresLoopUtilization(host: LoopHost = performance as LoopHost): boolean | undefined {
  if (typeof host.eventLoopUtilization !== 'function') return false;
  const { idle, active } = host.eventLoopUtilization();
  if (idle + active > 0) return true;
  return host.nodeTiming?.loopStart === -1 ? undefined : false;
}
