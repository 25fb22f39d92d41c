import net from 'node:net';
import { expect, test } from 'vitest';
import { announcesNetSockets } from './net-socket-events.js';

const tcpSockets = () => process.getActiveResourcesInfo().filter((type) => type === 'TCPSocketWrap').length;

test('the net module announces its sockets on Node, and the test leaves no socket listed', () => {
  const before = tcpSockets();
  expect(announcesNetSockets()).toBe(true);
  expect(tcpSockets()).toBe(before);
});

test('a net module that announces nothing (Bun) does not, and its socket is destroyed all the same', () => {
  const sockets: net.Socket[] = [];
  const silentConnect = () => {
    const socket = new net.Socket();
    sockets.push(socket);
    return socket;
  };
  expect(announcesNetSockets(silentConnect)).toBe(false);
  expect(sockets.map((socket) => socket.destroyed)).toEqual([true]);
});
