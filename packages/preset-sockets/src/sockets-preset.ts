import { decoratorsFor, preset, type Lease, type PresetLifecycle, type RenderScope } from '@runometer/core';
import type { SocketTraffic } from './socket-traffic.js';
import { SocketsProbe } from './sockets-probe.js';

interface SocketsContext {
  /** Active resources by type, or undefined where the runtime does not list them. */
  resources: ReadonlyMap<string, number> | undefined;
  traffic: SocketTraffic | undefined;
}

const { contextBuilder, field } = decoratorsFor<SocketsContext>();

/** Pharometer's addSocketMetrics: the sockets open now, and those opened and closed since the preset started. */
@preset('sockets', { inject: [SocketsProbe] })
export class SocketsPreset implements PresetLifecycle {
  constructor(private readonly probe: SocketsProbe) {}

  open(): Lease {
    return this.probe.acquire();
  }

  @contextBuilder()
  read(_ctx: unknown, render: RenderScope): SocketsContext {
    return { resources: this.probe.activeResources(render), traffic: this.probe.socketTraffic() };
  }

  @field('tcp_sockets', { type: 'integer', unit: 'count', help: 'Open TCP sockets, client and accepted.', requires: ['activeResources'] })
  tcpSockets(ctx: SocketsContext) {
    return ctx.resources && (ctx.resources.get('TCPSocketWrap') ?? 0);
  }

  @field('tcp_servers', { type: 'integer', unit: 'count', help: 'Listening TCP servers.', requires: ['activeResources'] })
  tcpServers(ctx: SocketsContext) {
    return ctx.resources && (ctx.resources.get('TCPServerWrap') ?? 0);
  }

  @field('udp_sockets', { type: 'integer', unit: 'count', help: 'Open UDP sockets.', requires: ['activeResources', 'activeUdpSockets'] })
  udpSockets(ctx: SocketsContext) {
    return this.probe.listsUdpSockets ? ctx.resources && (ctx.resources.get('UDPWrap') ?? 0) : undefined;
  }

  @field('pipes', { type: 'integer', unit: 'count', help: 'Open pipes and Unix sockets, servers included.', requires: ['activeResources'] })
  pipes(ctx: SocketsContext) {
    return ctx.resources && (ctx.resources.get('PipeWrap') ?? 0);
  }

  @field('client_sockets_opened_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Sockets opened with net.connect since the preset started.',
    requires: ['netSocketEvents'],
  })
  clientSocketsOpened(ctx: SocketsContext) {
    return ctx.traffic?.clientSocketsOpened;
  }

  @field('server_sockets_accepted_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Sockets accepted by net servers since the preset started.',
    requires: ['netSocketEvents'],
  })
  serverSocketsAccepted(ctx: SocketsContext) {
    return ctx.traffic?.serverSocketsAccepted;
  }

  @field('sockets_closed_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'count',
    help: 'Sockets seen by the preset that have closed.',
    requires: ['netSocketEvents'],
  })
  socketsClosed(ctx: SocketsContext) {
    return ctx.traffic?.socketsClosed;
  }

  @field('socket_bytes_read_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'bytes',
    help: 'Bytes read by the sockets seen by the preset, in bytes.',
    requires: ['netSocketEvents'],
  })
  bytesRead(ctx: SocketsContext) {
    return ctx.traffic?.bytesRead;
  }

  @field('socket_bytes_written_total', {
    type: 'integer',
    kind: 'counter',
    unit: 'bytes',
    help: 'Bytes written by the sockets seen by the preset, in bytes.',
    requires: ['netSocketEvents'],
  })
  bytesWritten(ctx: SocketsContext) {
    return ctx.traffic?.bytesWritten;
  }
}
