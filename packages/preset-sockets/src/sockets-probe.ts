import { detectRuntime, singleton, type RuntimeInfo } from '@runometer/core';
import { SocketTrafficCounter, type SocketTraffic } from './socket-traffic.js';

/** Reads the runtime's sockets, and says which readings the runtime cannot give. */
@singleton()
export class SocketsProbe {
  readonly runtime: RuntimeInfo = detectRuntime();
  private readonly traffic = new SocketTrafficCounter();
  private users = 0;

  /** Types of the active libuv resources (`TCPSocketWrap`…); undefined on Bun, which always answers []. */
  activeResources(): string[] | undefined {
    return this.runtime.name === 'bun' ? undefined : process.getActiveResourcesInfo();
  }

  /** Deno lists TCP sockets and pipes among its active resources, but never UDP sockets. */
  get listsUdpSockets(): boolean {
    return this.runtime.name === 'node';
  }

  /** Undefined on Bun, whose net module publishes nothing on `node:diagnostics_channel`. */
  socketTraffic(): SocketTraffic | undefined {
    return this.runtime.name === 'bun' ? undefined : this.traffic.read();
  }

  acquire(): void {
    if (this.users++ === 0 && this.runtime.name !== 'bun') this.traffic.start();
  }

  release(): void {
    if (--this.users === 0) this.traffic.stop();
  }
}
