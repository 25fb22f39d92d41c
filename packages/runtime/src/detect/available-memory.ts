/** Whether `process.availableMemory()` is there to give what the process may still take (Node 22 and 20.13 on). */
export function hasAvailableMemory(host: { availableMemory?: unknown } = process): boolean {
  return typeof host.availableMemory === 'function';
}
