import { contextBuilder, field, inject, preset, type PresetLifecycle } from '@runometer/core';
import type { SocketTraffic } from './socket-traffic.js';
import { SocketsProbe } from './sockets-probe.js';

interface SocketsContext {
  /** Active resources by type, or undefined where the runtime does not list them. */
  resources: Map<string, number> | undefined;
  traffic: SocketTraffic | undefined;
}

const count = { type: 'integer' } as const;

/** Pharometer's addSocketMetrics: the sockets open now, and those opened and closed since the preset started. */
@preset('sockets')
export class SocketsPreset implements PresetLifecycle {
  constructor(@inject(SocketsProbe) private readonly probe: SocketsProbe) {}

  open(): void {
    this.probe.acquire();
  }

  close(): void {
    this.probe.release();
  }

  @contextBuilder()
  read(): SocketsContext {
    const types = this.probe.activeResources();
    let resources: Map<string, number> | undefined;
    if (types !== undefined) {
      resources = new Map();
      for (const type of types) resources.set(type, (resources.get(type) ?? 0) + 1);
    }
    return { resources, traffic: this.probe.socketTraffic() };
  }

  @field('tcp_sockets', count)
  tcpSockets(ctx: SocketsContext) {
    return ctx.resources && (ctx.resources.get('TCPSocketWrap') ?? 0);
  }

  @field('tcp_servers', count)
  tcpServers(ctx: SocketsContext) {
    return ctx.resources && (ctx.resources.get('TCPServerWrap') ?? 0);
  }

  @field('udp_sockets', count)
  udpSockets(ctx: SocketsContext) {
    return this.probe.listsUdpSockets ? ctx.resources && (ctx.resources.get('UDPWrap') ?? 0) : undefined;
  }

  @field('pipes', count)
  pipes(ctx: SocketsContext) {
    return ctx.resources && (ctx.resources.get('PipeWrap') ?? 0);
  }

  @field('client_sockets_opened', count)
  clientSocketsOpened(ctx: SocketsContext) {
    return ctx.traffic?.clientSocketsOpened;
  }

  @field('server_sockets_accepted', count)
  serverSocketsAccepted(ctx: SocketsContext) {
    return ctx.traffic?.serverSocketsAccepted;
  }

  @field('sockets_closed', count)
  socketsClosed(ctx: SocketsContext) {
    return ctx.traffic?.socketsClosed;
  }

  @field('socket_bytes_read', count)
  bytesRead(ctx: SocketsContext) {
    return ctx.traffic?.bytesRead;
  }

  @field('socket_bytes_written', count)
  bytesWritten(ctx: SocketsContext) {
    return ctx.traffic?.bytesWritten;
  }
}
