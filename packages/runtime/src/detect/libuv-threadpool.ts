interface Report {
  readonly libuv?: unknown;
}

/**
 * Whether the loop runs on libuv, whose threadpool UV_THREADPOOL_SIZE sizes: the diagnostic report
 * lists the handles of the libuv loop (Node lists its own; Bun lists none; Deno's report has no such
 * section). Bun and Deno both report a `process.versions.uv` of their own making, which says nothing.
 * A report costs milliseconds on Node (`npm run bench`, runtime costs): it is asked once, when the
 * pool size is first read.
 */
export function runsOnLibuv(report: () => Report | undefined = () => process.report?.getReport() as Report | undefined): boolean {
  try {
    const libuv = report()?.libuv;
    return Array.isArray(libuv) && libuv.length > 0;
  } catch {
    return false;
  }
}
