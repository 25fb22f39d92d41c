import { SharedWork, singleton, type Lease, type RenderScope } from '@runometer/core';
import { activeResourcesByType, has } from '@runometer/runtime';
import { SocketTrafficCounter, type SocketTraffic } from './socket-traffic.js';

/** Reads the runtime's sockets, and says which readings the runtime cannot give. */
@singleton()
export class SocketsProbe {
  private readonly traffic = new SocketTrafficCounter();
  // Listening to the net module only where it announces its sockets.
  private readonly listening = new SharedWork(
    () => {
      if (has('netSocketEvents')) this.traffic.start();
    },
    () => this.traffic.stop(),
  );

  /** Active resources by type, read once per render for every preset; undefined where the runtime does not list them (Bun). */
  activeResources(render: RenderScope): ReadonlyMap<string, number> | undefined {
    return activeResourcesByType(render);
  }

  /** Whether the runtime lists UDP sockets among its active resources (Deno lists TCP sockets and pipes only). */
  get listsUdpSockets(): boolean {
    return has('activeUdpSockets');
  }

  /** Undefined where the net module announces nothing on `node:diagnostics_channel` (Bun). */
  socketTraffic(): SocketTraffic | undefined {
    return has('netSocketEvents') ? this.traffic.read() : undefined;
  }

  /** Holds the probe for a meter: sockets are counted from the first hold to the last release. */
  acquire(): Lease {
    return this.listening.acquire();
  }
}
