/**
 * Whether the active resources include UDP sockets: an unbound UDP socket made for the test must be
 * listed (Deno lists TCP sockets and pipes, never UDP: `deno` in known-runtimes.ts says whether the
 * version last checked still does). It sends nothing, and it is unreferenced
 * before it is closed, so no later reading of the active resources sees it while it closes.
 * node:dgram is loaded by the test, not with the package: only runtimes that list active
 * resources ask it (not Bun, where loading it costs milliseconds at start).
 */
export function listsUdpSockets(activeResources: () => string[] = () => process.getActiveResourcesInfo()): boolean {
  const socket = process.getBuiltinModule('node:dgram').createSocket('udp4');
  try {
    return activeResources().includes('UDPWrap');
  } finally {
    socket.unref();
    socket.close();
  }
}
