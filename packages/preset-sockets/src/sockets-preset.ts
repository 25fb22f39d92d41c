import { contextBuilder, field, inject, preset, type Lease, type PresetLifecycle, type RenderScope } from '@runometer/core';
import type { SocketTraffic } from './socket-traffic.js';
import { SocketsProbe } from './sockets-probe.js';

interface SocketsContext {
  /** Active resources by type, or undefined where the runtime does not list them. */
  resources: ReadonlyMap<string, number> | undefined;
  traffic: SocketTraffic | undefined;
}

/** Pharometer's addSocketMetrics: the sockets open now, and those opened and closed since the preset started. */
@preset('sockets')
export class SocketsPreset implements PresetLifecycle {
  private lease: Lease | undefined;

  constructor(@inject(SocketsProbe) private readonly probe: SocketsProbe) {}

  open(): void {
    this.lease = this.probe.acquire();
  }

  close(): void | Promise<void> {
    return this.lease?.release();
  }

  @contextBuilder()
  read(_ctx: unknown, render: RenderScope): SocketsContext {
    return { resources: this.probe.activeResources(render), traffic: this.probe.socketTraffic() };
  }

  @field('tcp_sockets', { type: 'integer', help: 'Open TCP sockets, client and accepted.' })
  tcpSockets(ctx: SocketsContext) {
    return ctx.resources && (ctx.resources.get('TCPSocketWrap') ?? 0);
  }

  @field('tcp_servers', { type: 'integer', help: 'Listening TCP servers.' })
  tcpServers(ctx: SocketsContext) {
    return ctx.resources && (ctx.resources.get('TCPServerWrap') ?? 0);
  }

  @field('udp_sockets', { type: 'integer', help: 'Open UDP sockets.' })
  udpSockets(ctx: SocketsContext) {
    return this.probe.listsUdpSockets ? ctx.resources && (ctx.resources.get('UDPWrap') ?? 0) : undefined;
  }

  @field('pipes', { type: 'integer', help: 'Open pipes and Unix sockets, servers included.' })
  pipes(ctx: SocketsContext) {
    return ctx.resources && (ctx.resources.get('PipeWrap') ?? 0);
  }

  @field('client_sockets_opened', { type: 'integer', kind: 'counter', help: 'Sockets opened with net.connect since the preset started.' })
  clientSocketsOpened(ctx: SocketsContext) {
    return ctx.traffic?.clientSocketsOpened;
  }

  @field('server_sockets_accepted', { type: 'integer', kind: 'counter', help: 'Sockets accepted by net servers since the preset started.' })
  serverSocketsAccepted(ctx: SocketsContext) {
    return ctx.traffic?.serverSocketsAccepted;
  }

  @field('sockets_closed', { type: 'integer', kind: 'counter', help: 'Sockets seen by the preset that have closed.' })
  socketsClosed(ctx: SocketsContext) {
    return ctx.traffic?.socketsClosed;
  }

  @field('socket_bytes_read', { type: 'integer', kind: 'counter', help: 'Bytes read by the sockets seen by the preset, in bytes.' })
  bytesRead(ctx: SocketsContext) {
    return ctx.traffic?.bytesRead;
  }

  @field('socket_bytes_written', { type: 'integer', kind: 'counter', help: 'Bytes written by the sockets seen by the preset, in bytes.' })
  bytesWritten(ctx: SocketsContext) {
    return ctx.traffic?.bytesWritten;
  }
}
