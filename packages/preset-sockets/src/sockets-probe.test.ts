import { once } from 'node:events';
import net from 'node:net';
import { expect, test, vi } from 'vitest';
import { SocketsProbe } from './sockets-probe.js';

test("a socket announced since the probe opened proves the net module's announcements: their test (a socket that never connects) is not run", async () => {
  const test = vi.spyOn(net, 'connect');
  const probe = new SocketsProbe();
  const lease = probe.acquire();
  const server = net.createServer((socket) => socket.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = net.createConnection((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(client, 'close');
  expect(probe.socketTraffic()).toMatchObject({ clientSocketsOpened: 1, serverSocketsAccepted: 1 });
  expect(test).not.toHaveBeenCalled();
  test.mockRestore();
  lease.release();
  server.close();
});
