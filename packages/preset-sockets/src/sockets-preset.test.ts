import { Runometer, SharedWork, catalogOf, container, toOpenMetrics, toPrometheus } from '@runometer/core';
import { assertStableFieldTypes, assertValidOpenMetrics, assertValidPrometheus, renderPreset } from '@runometer/core/testing';
import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import { KNOWN_RUNTIMES, countByType, type Capability, type KnownRuntimeName } from '@runometer/runtime';
import { fakeRuntime } from '@runometer/runtime/testing';
import { describe, expect, test } from 'vitest';
import { SocketsPreset } from './sockets-preset.js';
import { SocketsProbe } from './sockets-probe.js';

type FakeProbe = Omit<Partial<SocketsProbe>, 'activeResources'> & { activeResources?: () => string[] | undefined };

const idle = () => {};

function fakeProbe({ activeResources, ...probe }: FakeProbe, work = new SharedWork(idle, idle)): SocketsProbe {
  const byType = () => {
    const types = activeResources?.();
    return types && countByType(types);
  };
  return { acquire: () => work.acquire(), activeResources: byType, ...probe } as unknown as SocketsProbe;
}

/** The preset's one body, rendered with `probe` in place of the runtime's. */
async function renderWith(probe: FakeProbe, measurement: string): Promise<string> {
  const { bodies, errors } = await renderPreset(SocketsPreset, { inject: [[SocketsProbe, fakeProbe(probe)]], measurement });
  expect(errors).toEqual([]);
  return bodies[0]!;
}

const traffic = { clientSocketsOpened: 12, serverSocketsAccepted: 30, socketsClosed: 38, bytesRead: 123456, bytesWritten: 654321 };

describe('SocketsPreset with a fake probe', () => {
  test('counts active resources by type and renders the traffic counters', async () => {
    const probe = {
      activeResources: () => ['TCPServerWrap', 'TCPSocketWrap', 'TCPSocketWrap', 'UDPWrap', 'PipeWrap', 'Timeout', 'FSReqCallback'],
      listsUdpSockets: true,
      socketTraffic: () => traffic,
    };
    expect(await renderWith(probe, 'node')).toBe(
      'node tcp_sockets=2i,tcp_servers=1i,udp_sockets=1i,pipes=1i,client_sockets_opened_total=12i,server_sockets_accepted_total=30i,' +
        'sockets_closed_total=38i,socket_bytes_read_total=123456i,socket_bytes_written_total=654321i\n',
    );
  });

  test('writes true zeros when nothing is open', async () => {
    expect(
      await renderWith(
        { activeResources: () => [], listsUdpSockets: true, socketTraffic: () => ({ ...traffic, clientSocketsOpened: 0 }) },
        'node',
      ),
    ).toMatch(/^node tcp_sockets=0i,tcp_servers=0i,udp_sockets=0i,pipes=0i,client_sockets_opened_total=0i,/);
  });

  test('leaves out UDP sockets where the runtime does not list them (Deno)', async () => {
    expect(await renderWith({ activeResources: () => ['UDPWrap'], listsUdpSockets: false, socketTraffic: () => traffic }, 'deno')).toMatch(
      /^deno tcp_sockets=0i,tcp_servers=0i,pipes=0i,client/,
    );
  });

  test('listens from the first meter to the last; a meter closed twice releases once', async () => {
    const events: string[] = [];
    const work = new SharedWork(
      () => events.push('listen'),
      () => void events.push('stop listening'),
    );
    const scoped = container.createChildContainer();
    scoped.register(SocketsProbe, {
      useValue: fakeProbe({ activeResources: () => [], listsUdpSockets: true, socketTraffic: () => traffic }, work),
    });
    const first = new Runometer('node', { container: scoped }).use(SocketsPreset);
    const second = new Runometer('node', { container: scoped }).use(SocketsPreset);
    await first.close();
    await first.close();
    expect(events).toEqual(['listen']);
    await second.close();
    expect(events).toEqual(['listen', 'stop listening']);
  });

  test('renders nothing where the runtime gives nothing (Bun), rather than zeros', async () => {
    expect(await renderWith({ activeResources: () => undefined, listsUdpSockets: false, socketTraffic: () => undefined }, 'bun')).toBe('');
  });
});

describe('SocketsPreset under a fake runtime', () => {
  // This process is Node, which offers every capability: each fake runtime only takes some away.
  test.each(['node20', 'node22', 'node24', 'node26', 'bun', 'deno'] as const)(
    'writes on %s exactly the fields whose capabilities it offers',
    async (runtime: KnownRuntimeName) => {
      const offered: Readonly<Record<Capability, boolean>> = KNOWN_RUNTIMES[runtime].capabilities;
      const expected = catalogOf(SocketsPreset)
        .filter((entry) => entry.requires.every((capability) => offered[capability as Capability]))
        .map((entry) => entry.key);
      const fake = fakeRuntime(runtime);
      try {
        const { snapshots, bodies, errors } = await renderPreset(SocketsPreset, { renders: 2 });
        expect(errors).toEqual([]);
        for (const snapshot of snapshots)
          expect(snapshot.points.flatMap((point) => point.fields.map(({ spec }) => spec.key))).toEqual(expected);
        assertStableFieldTypes(bodies);
        assertValidPrometheus(toPrometheus(snapshots));
        assertValidOpenMetrics(toOpenMetrics(snapshots));
      } finally {
        fake.restore();
      }
    },
  );

  test('the fakes differ: Bun measures none of the fields, Deno all but UDP sockets', () => {
    const keys = catalogOf(SocketsPreset).map((entry) => entry.key);
    const measured = (runtime: KnownRuntimeName) =>
      catalogOf(SocketsPreset)
        .filter((entry) =>
          entry.requires.every((capability) => (KNOWN_RUNTIMES[runtime].capabilities as Record<string, boolean>)[capability]),
        )
        .map((entry) => entry.key);
    expect(measured('bun')).toEqual([]);
    expect(measured('deno')).toEqual(keys.filter((key) => key !== 'udp_sockets'));
  });
});

describe('SocketsPreset on this Node process', () => {
  test('counts exactly the sockets, servers and UDP sockets opened, and the traffic through them', async () => {
    const meter = new Runometer('node').use('sockets');
    const fieldsOf = async () => {
      const [point] = (await meter.collect()).points;
      return Object.fromEntries(point!.fields.map(({ spec, value }) => [spec.key, Number(value)]));
    };
    const before = await fieldsOf();

    const accepted: net.Socket[] = [];
    const server = net.createServer((socket) => {
      accepted.push(socket);
      socket.on('data', (data) => socket.write(data));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    const clients = await Promise.all(
      [1, 2, 3].map(async () => {
        const client = net.connect(port, '127.0.0.1');
        await once(client, 'connect');
        client.write('hello');
        await once(client, 'data');
        return client;
      }),
    );
    const udp = dgram.createSocket('udp4');
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');

    const open = await fieldsOf();
    expect(open['tcp_sockets']! - before['tcp_sockets']!).toBe(6);
    expect(open['tcp_servers']! - before['tcp_servers']!).toBe(1);
    expect(open['udp_sockets']! - before['udp_sockets']!).toBe(1);
    expect(open['client_sockets_opened_total']! - before['client_sockets_opened_total']!).toBe(3);
    expect(open['server_sockets_accepted_total']! - before['server_sockets_accepted_total']!).toBe(3);
    expect(open['socket_bytes_written_total']! - before['socket_bytes_written_total']!).toBe(30);
    expect(open['socket_bytes_read_total']! - before['socket_bytes_read_total']!).toBe(30);

    for (const client of clients) client.destroy();
    await Promise.all([...clients, ...accepted].map((socket) => once(socket, 'close')));
    server.close();
    udp.close();
    await once(server, 'close');
    // libuv lists a handle until its close callback has run, after this turn's immediates.
    for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));

    const closed = await fieldsOf();
    expect(closed['tcp_sockets']).toBe(before['tcp_sockets']);
    expect(closed['tcp_servers']).toBe(before['tcp_servers']);
    expect(closed['udp_sockets']).toBe(before['udp_sockets']);
    expect(closed['sockets_closed_total']! - before['sockets_closed_total']!).toBe(6);
    expect(closed['socket_bytes_read_total']! - before['socket_bytes_read_total']!).toBe(30);
    await meter.close();
  });
});
