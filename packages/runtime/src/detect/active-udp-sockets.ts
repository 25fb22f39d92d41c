import dgram from 'node:dgram';

/**
 * Whether the active resources include UDP sockets: an unbound UDP socket made for the test must be
 * listed (Deno 2.9 lists TCP sockets and pipes, never UDP). It sends nothing, and it is unreferenced
 * before it is closed, so no later reading of the active resources sees it while it closes.
 */
export function listsUdpSockets(activeResources: () => string[] = () => process.getActiveResourcesInfo()): boolean {
  const socket = dgram.createSocket('udp4');
  try {
    return activeResources().includes('UDPWrap');
  } finally {
    socket.unref();
    socket.close();
  }
}
