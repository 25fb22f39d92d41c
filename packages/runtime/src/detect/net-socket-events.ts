import diagnosticsChannel from 'node:diagnostics_channel';
import type net from 'node:net';

const CLIENT_CHANNEL = 'net.client.socket';

/**
 * Calls that announce a socket and then fail before anything is sent: without a port, Node (20 to
 * 26) announces the socket and refuses the call before the socket has a handle, so nothing is left
 * to close (destroying a socket with a handle makes Node create `process.stderr`, a pipe the
 * presets would count); Deno checks that first, and announces the socket of a call with port -1,
 * which then fails validation.
 */
const CALLS: readonly net.NetConnectOpts[] = [{ host: '127.0.0.1' } as net.NetConnectOpts, { port: -1, host: '127.0.0.1' }];

/**
 * Whether the net module announces the sockets it makes on `node:diagnostics_channel` (Bun has
 * announced none: `bun` in known-runtimes.ts says whether the version last checked does). `net.connect` announces its socket before it connects; each call here fails
 * before anything is sent. Every socket made is unreferenced and destroyed at once. node:net is
 * loaded by the test, not with the package (on Bun, where nothing else may load it, 2 MiB).
 */
export function announcesNetSockets(
  connect: (options: net.NetConnectOpts) => net.Socket = (options) => process.getBuiltinModule('node:net').connect(options),
): boolean {
  let announced: net.Socket | undefined;
  const returned: net.Socket[] = [];
  const onSocket = (message: unknown) => {
    announced = (message as { socket: net.Socket }).socket;
  };
  diagnosticsChannel.subscribe(CLIENT_CHANNEL, onSocket);
  try {
    for (const options of CALLS) {
      try {
        returned.push(connect(options));
      } catch {
        // Expected: the call is refused.
      }
      if (announced !== undefined) break;
    }
  } finally {
    diagnosticsChannel.unsubscribe(CLIENT_CHANNEL, onSocket);
  }
  for (const socket of new Set([announced, ...returned])) socket?.unref().destroy();
  return announced !== undefined;
}
