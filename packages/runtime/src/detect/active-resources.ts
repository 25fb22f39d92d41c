import { clearTimeout, setTimeout } from 'node:timers';

interface ResourcesHost {
  getActiveResourcesInfo?: () => string[];
}

/**
 * Whether `process.getActiveResourcesInfo()` lists what the event loop waits on: a timer set for
 * the test must be listed (Bun has the function and has answered []: `bun` in known-runtimes.ts
 * says whether the version last checked still does). The timer is cleared
 * before this returns, which takes it off the list at once.
 */
export function listsActiveResources(host: ResourcesHost = process): boolean {
  if (typeof host.getActiveResourcesInfo !== 'function') return false;
  const timer = setTimeout(() => {}, 3_600_000);
  try {
    return host.getActiveResourcesInfo().includes('Timeout');
  } finally {
    clearTimeout(timer);
  }
}
