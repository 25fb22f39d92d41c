import { describe, expect, test } from 'vitest';
import { countResources, type Deltas } from './count-resources.js';
import { measures } from './expected-fields.js';
import type { KnownRuntimeName } from '@runometer/runtime';
import { nameOf } from '../tools/runtimes.js';
import { CHILD_RUNTIMES, knownRuntime, runOn } from './runtimes.js';

// 3 TCP connections (6 sockets), a server, a UDP socket, 3 timers and 4 files: exact counts
// where the runtime measures them, absent where it does not; back to where they were once closed.
// Every socket is a file descriptor too: 4 files + 8 sockets = 12.
const OPENED: Deltas = {
  tcp_sockets: 6,
  tcp_servers: 1,
  udp_sockets: 1,
  pipes: 0,
  client_sockets_opened_total: 3,
  server_sockets_accepted_total: 3,
  sockets_closed_total: 0,
  active_timers: 3,
  open_fds: 12,
};
const CLOSED: Deltas = {
  ...OPENED,
  tcp_sockets: 0,
  tcp_servers: 0,
  udp_sockets: 0,
  sockets_closed_total: 6,
  active_timers: 0,
  open_fds: 0,
};
/** The deltas, with 'absent' for each field the runtime does not measure (from the catalog). */
const onRuntime = (runtime: KnownRuntimeName, deltas: Deltas): Deltas =>
  Object.fromEntries(Object.entries(deltas).map(([key, delta]) => [key, measures(runtime, key) ? delta : 'absent']));

// Vitest throttles its task updates to one per 100 ms with a timer of its own, pending for up to
// 100 ms after a test starts: let it fire before counting timers in this process.
const vitestThrottle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe('the presets count exactly what was opened and closed', () => {
  test('on Node', async () => {
    await vitestThrottle();
    const known = knownRuntime('node');
    expect(await countResources()).toEqual({ runtime: 'node', opened: onRuntime(known, OPENED), closed: onRuntime(known, CLOSED) });
  });

  test.each(CHILD_RUNTIMES)(
    'on %s',
    async (runtime) => {
      expect(JSON.parse(await runOn(runtime, 'test/count-resources.ts'))).toEqual({
        runtime: nameOf(runtime),
        opened: onRuntime(knownRuntime(runtime), OPENED),
        closed: onRuntime(knownRuntime(runtime), CLOSED),
      });
    },
    60_000,
  );
});
