import { clearTimeout, setTimeout } from 'node:timers';

/**
 * Whether `process` emits 'worker' for each worker thread started, tested by starting one that
 * waits until it is terminated: the event must come within `graceMs` of the worker being online
 * (Node emits it before, Bun and Deno after). A thread costs tens of milliseconds (`npm run bench`, runtime costs), so this is never asked
 * while a meter runs: `npm run capabilities` and the runtime tests ask it, and KNOWN_RUNTIMES
 * keeps the answer. node:worker_threads is imported here, not with the package (on Bun it costs
 * milliseconds at start: the `workerEvents` line of bench/runtime-costs.bench.js includes it).
 */
export async function emitsWorkerEvents(graceMs = 2000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onWorker: (() => void) | undefined;
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker('setInterval(() => {}, 60_000)', { eval: true });
  try {
    return await new Promise<boolean>((resolve) => {
      onWorker = () => resolve(true);
      process.on('worker', onWorker);
      worker.once('online', () => (timer = setTimeout(() => resolve(false), graceMs)));
      worker.once('error', () => resolve(false));
    });
  } finally {
    clearTimeout(timer);
    if (onWorker) process.off('worker', onWorker);
    await worker.terminate();
  }
}
