import { SharedWork, singleton, type Lease, type RenderScope } from '@runometer/core';
import { activeResourcesByType, has, markOffered } from '@runometer/runtime';
import { SocketTrafficCounter, type SocketTraffic } from './socket-traffic.js';

/** Reads the runtime's sockets, and says which readings the runtime cannot give. */
@singleton()
export class SocketsProbe {
  private readonly traffic = new SocketTrafficCounter();
  // Listening to the net module whatever the runtime: where it announces nothing (Bun), nothing comes.
  private readonly listening = new SharedWork(
    () => this.traffic.start(),
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

  /**
   * Undefined where the net module announces nothing on `node:diagnostics_channel` (Bun). A socket
   * announced since the preset opened (a served meter's scrape, on Node) proves that it does: the
   * capability's test, a socket that never connects (its `netSocketEvents` line in bench/runtime-costs.bench.js), is then not run.
   */
  socketTraffic(): SocketTraffic | undefined {
    if (this.traffic.announcedAny) markOffered('netSocketEvents');
    // Otherwise asking may run the test, whose socket is announced to every subscriber: the counter
    // is deaf meanwhile (the test is synchronous: no other socket is announced while it runs).
    const offered = this.traffic.announcedAny ? has('netSocketEvents') : this.traffic.unheard(() => has('netSocketEvents'));
    return offered ? this.traffic.read() : undefined;
  }

  /** Holds the probe for a meter: sockets are counted from the first hold to the last release. */
  acquire(): Lease {
    return this.listening.acquire();
  }
}
