import net from 'node:net';
import { expect, test } from 'vitest';
import { announcesNetSockets } from './net-socket-events.js';

test('the net module announces its sockets on Node, and the test leaves no resource listed: its socket never had a handle', () => {
  const before = process.getActiveResourcesInfo();
  const connects: unknown[] = [];
  const connect = (options: net.NetConnectOpts) => {
    connects.push(options);
    return net.connect(options);
  };
  expect(announcesNetSockets(connect)).toBe(true);
  expect(connects).toEqual([{ host: '127.0.0.1' }]);
  expect(process.getActiveResourcesInfo()).toEqual(before);
});

test('a net module that announces nothing (Bun) does not, after both calls, and their sockets are destroyed all the same', () => {
  const sockets: net.Socket[] = [];
  const silentConnect = () => {
    const socket = new net.Socket();
    sockets.push(socket);
    return socket;
  };
  expect(announcesNetSockets(silentConnect)).toBe(false);
  expect(sockets.map((socket) => socket.destroyed)).toEqual([true, true]);
});
