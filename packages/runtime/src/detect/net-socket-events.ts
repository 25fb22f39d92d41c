import diagnosticsChannel from 'node:diagnostics_channel';
import net from 'node:net';

const CLIENT_CHANNEL = 'net.client.socket';

/**
 * Whether the net module announces the sockets it makes on `node:diagnostics_channel` (Bun 1.4
 * announces none). `net.connect` announces its socket before it connects; port -1 then fails
 * validation, so nothing is ever sent. The socket is unreferenced and destroyed at once.
 */
export function announcesNetSockets(connect: (options: net.NetConnectOpts) => net.Socket = net.connect): boolean {
  let announced: net.Socket | undefined;
  let returned: net.Socket | undefined;
  const onSocket = (message: unknown) => {
    announced = (message as { socket: net.Socket }).socket;
  };
  diagnosticsChannel.subscribe(CLIENT_CHANNEL, onSocket);
  try {
    returned = connect({ port: -1, host: '127.0.0.1' });
  } catch {
    // Expected: the port is invalid.
  } finally {
    diagnosticsChannel.unsubscribe(CLIENT_CHANNEL, onSocket);
  }
  for (const socket of new Set([announced, returned])) socket?.unref().destroy();
  return announced !== undefined;
}
