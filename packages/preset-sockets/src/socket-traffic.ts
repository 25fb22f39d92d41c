import diagnosticsChannel from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

export interface SocketTraffic {
  readonly clientSocketsOpened: number;
  readonly serverSocketsAccepted: number;
  readonly socketsClosed: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
}

const CLIENT_CHANNEL = 'net.client.socket';
const SERVER_CHANNEL = 'net.server.socket';

/**
 * Counts the net sockets (TCP and pipes) that the runtime announces on `node:diagnostics_channel`
 * while it listens: those opened before `start()` are not seen. Bytes are those of the sockets
 * it has seen, closed ones included.
 */
export class SocketTrafficCounter {
  private clientOpened = 0;
  private serverAccepted = 0;
  private closed = 0;
  private closedBytesRead = 0;
  private closedBytesWritten = 0;
  private readonly live = new Set<Socket>();

  private readonly onClient = (message: unknown) => {
    this.clientOpened++;
    this.track((message as { socket: Socket }).socket);
  };

  private readonly onServer = (message: unknown) => {
    this.serverAccepted++;
    this.track((message as { socket: Socket }).socket);
  };

  private track(socket: Socket): void {
    this.live.add(socket);
    socket.once('close', () => {
      this.live.delete(socket);
      this.closed++;
      this.closedBytesRead += socket.bytesRead;
      this.closedBytesWritten += socket.bytesWritten;
    });
  }

  /** Whether a socket has been announced since `start()`: the runtime's net module announces them. */
  get announcedAny(): boolean {
    return this.clientOpened + this.serverAccepted > 0;
  }

  private listening = false;

  /** Call once, and `stop()` once after: the caller shares it through a `SharedWork`. */
  start(): void {
    diagnosticsChannel.subscribe(CLIENT_CHANNEL, this.onClient);
    diagnosticsChannel.subscribe(SERVER_CHANNEL, this.onServer);
    this.listening = true;
  }

  stop(): void {
    diagnosticsChannel.unsubscribe(CLIENT_CHANNEL, this.onClient);
    diagnosticsChannel.unsubscribe(SERVER_CHANNEL, this.onServer);
    this.listening = false;
  }

  /** `run()`'s result, with the counter deaf while it runs: a socket `run` itself makes (a capability test's) is not counted. */
  unheard<T>(run: () => T): T {
    if (!this.listening) return run();
    this.stop();
    try {
      return run();
    } finally {
      this.start();
    }
  }

  read(): SocketTraffic {
    let bytesRead = this.closedBytesRead;
    let bytesWritten = this.closedBytesWritten;
    for (const socket of this.live) {
      bytesRead += socket.bytesRead;
      bytesWritten += socket.bytesWritten;
    }
    return {
      clientSocketsOpened: this.clientOpened,
      serverSocketsAccepted: this.serverAccepted,
      socketsClosed: this.closed,
      bytesRead,
      bytesWritten,
    };
  }
}
