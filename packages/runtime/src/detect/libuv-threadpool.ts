import { fstat } from 'node:fs';

/** An fd no process has open (above every limit on open files): fstat on it fails, after taking a request. */
const NO_FD = 2 ** 31 - 1;

let pending = 0;

/**
 * The test's own fs requests still pending: Node lists each as an `FSReqCallback` until its
 * callback has run (the next turn of the loop, at the earliest), which no count of the app's
 * resources should include (`activeResourcesByType` takes them off).
 */
export function pendingTestRequests(): number {
  return pending;
}

/**
 * Whether the loop runs on libuv, whose threadpool UV_THREADPOOL_SIZE sizes: an fs request made for
 * the test is listed among the active resources as libuv's `FSReqCallback` while it is pending
 * (Node; it runs on the threadpool). Bun lists no active resource, Deno none for a file request,
 * and both report a `process.versions.uv` of their own making, which says nothing. The request is
 * an `fstat` of an fd that is never open: it fails, into a callback that ignores it. Much cheaper
 * than the diagnostic report this test used to read (bench/runtime-costs.bench.js prints both:
 * `libuvThreadpool` and `process.report.getReport()`).
 */
export function runsOnLibuv(
  activeResources: (() => string[]) | null = typeof process.getActiveResourcesInfo === 'function'
    ? () => process.getActiveResourcesInfo()
    : null,
  request: (done: () => void) => void = (done) => fstat(NO_FD, done),
): boolean {
  if (activeResources === null) return false;
  try {
    request(() => pending--);
  } catch {
    return false;
  }
  // An fs callback never runs before the call that made its request has returned.
  pending++;
  try {
    return activeResources().includes('FSReqCallback');
  } catch {
    return false;
  }
}
