// The cost to the host of the presets' background monitors (the event-loop sampler every
// 20 ms, the CPU snapshot every second, the GC observer, the socket channels), at idle and
// under load. Phases with the monitors running alternate with phases without them in one
// process, so that a shared machine's drift touches both alike. Target: under 1% of one core.
import { Runometer } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { runtimeName } from './measure.js';

const ROUNDS = 15;
const PHASE_MS = 1000;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const payload = { id: 1, items: Array.from({ length: 50 }, (_, i) => ({ i, name: `item ${i}` })) };

/** One phase: CPU used as a share of one core, and units of work done when under load. */
async function phase(load) {
  const cpuAtStart = process.cpuUsage();
  const startedAt = performance.now();
  let work = 0;
  if (load) {
    while (performance.now() - startedAt < PHASE_MS) {
      for (let i = 0; i < 20; i++) JSON.parse(JSON.stringify(payload));
      work++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  } else {
    await new Promise((resolve) => setTimeout(resolve, PHASE_MS));
  }
  const { user, system } = process.cpuUsage(cpuAtStart);
  return { core: (user + system) / 1000 / (performance.now() - startedAt), work };
}

async function withMonitors(load) {
  const meter = new Runometer('host').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
  try {
    return await phase(load);
  } finally {
    await meter.close();
  }
}

// Each round runs a phase with the monitors between two without: the first pair gives the cost,
// the two phases without them give the noise floor, the difference this machine shows between
// two identical phases.
const cost = (load, on, off) => (load ? 1 - on.work / off.work : on.core - off.core);
for (const load of [false, true]) {
  const costs = [];
  const floors = [];
  for (let round = 0; round < ROUNDS; round++) {
    const before = await phase(load);
    const on = await withMonitors(load);
    const after = await phase(load);
    costs.push(cost(load, on, before));
    floors.push(Math.abs(cost(load, after, before)));
  }
  const [measured, floor] = [median(costs) * 100, median(floors) * 100];
  console.log(
    `${runtimeName()}: monitors ${load ? 'under load cost' : 'at idle cost'} ${measured.toFixed(2)}% ${load ? 'of the work done' : 'of one core'} ` +
      `(noise floor ${floor.toFixed(2)}%; median of ${ROUNDS} rounds of 1 s phases; target < 1%: ${measured < 1 ? 'met' : 'MISSED'})`,
  );
}
