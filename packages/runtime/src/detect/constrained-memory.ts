/** Whether `process.constrainedMemory()` is there to give the cgroup memory limit (Node 19.6 and 18.15 on). */
export function hasConstrainedMemory(host: { constrainedMemory?: unknown } = process): boolean {
  return typeof host.constrainedMemory === 'function';
}
