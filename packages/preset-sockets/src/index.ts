export { SocketsPreset } from './sockets-preset.js';
export { SocketsProbe } from './sockets-probe.js';
export type { SocketTraffic } from './socket-traffic.js';
