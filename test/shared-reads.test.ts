import { Runometer } from '@runometer/core';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { has } from '@runometer/runtime';
import { afterEach, expect, test, vi } from 'vitest';

afterEach(() => vi.restoreAllMocks());

test('one render of the sockets and threads presets reads the active resources once, so both count one moment', async () => {
  // Detection reads them too, once for the process' life: have it done before counting.
  expect([has('activeResources'), has('activeUdpSockets')]).toEqual([true, true]);
  const meter = new Runometer('node').use(SocketsPreset, ThreadsPreset);
  const read = vi.spyOn(process, 'getActiveResourcesInfo').mockReturnValue(['TCPSocketWrap', 'TCPSocketWrap', 'Timeout']);
  const [point] = (await meter.collect()).points;
  const fields = Object.fromEntries(point!.fields.map(({ spec, value }) => [spec.key, value]));
  expect(read).toHaveBeenCalledTimes(1);
  expect([fields['tcp_sockets'], fields['active_handles'], fields['active_timers']]).toEqual([2, 2, 1]);
  await meter.collect();
  expect(read).toHaveBeenCalledTimes(2);
  await meter.close();
});
