import { expect, test } from 'vitest';
import { listsUdpSockets } from './active-udp-sockets.js';

const udpSockets = () => process.getActiveResourcesInfo().filter((type) => type === 'UDPWrap').length;

test('lists UDP sockets where the socket made for the test is listed, as on Node', () => {
  expect(listsUdpSockets()).toBe(true);
});

test('does not where the active resources never include one (Deno)', () => {
  expect(listsUdpSockets(() => ['TCPSocketWrap', 'Timeout'])).toBe(false);
});

test('leaves no UDP socket listed, even while it closes', () => {
  const before = udpSockets();
  listsUdpSockets();
  expect(udpSockets()).toBe(before);
});
