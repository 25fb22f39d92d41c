// What each runtime's readings cost, where the presets choose between ways of reading: the
// figures behind the choices in the presets' READMEs. Runs on Node, Bun and Deno:
// `node --expose-gc bench/runtime-costs.bench.js`, `bun …`, `deno run -A …`.
import { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import { compare, median, runtimeName } from './measure.js';

const us = (value) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} µs`;
const deno = globalThis.Deno;
const buffer = Buffer.alloc(8192);
const statm = openSync('/proc/self/statm', 'r');
const fdDirectory = openSync('/proc/self/fd', 'r');

const reads = {
  'process.memoryUsage()': () => process.memoryUsage(),
  'v8.getHeapStatistics()': () => v8.getHeapStatistics(),
  'v8.getHeapSpaceStatistics()': () => v8.getHeapSpaceStatistics(),
  'process.resourceUsage()': () => process.resourceUsage(),
  'process.constrainedMemory()': () => process.constrainedMemory?.(),
  'process.availableMemory()': () => process.availableMemory?.(),
  '/proc/self/status, opened each time': () => readFileSync('/proc/self/status', 'latin1'),
  '/proc/self/statm, kept open': () => readSync(statm, buffer, 0, buffer.length, 0),
  '/proc/self/fd listed': () => readdirSync('/proc/self/fd').length,
  '/proc/self/fd stat': () => statSync('/proc/self/fd').size,
  '/proc/self/fd fstat, kept open': () => fstatSync(fdDirectory).size,
  ...(deno ? { '/proc/self/fd Deno.statSync': () => deno.statSync('/proc/self/fd').size } : {}),
};
// Bun's heap statistics cost about a millisecond: fewer rounds, shorter batches.
const results = await compare(reads, { rounds: 5, batchMs: 20 });
console.log(`${runtimeName()}: cost of one call, median of 5 rounds`);
for (const [name, { median: cost }] of Object.entries(results)) console.log(`  ${name.padEnd(38)} ${us(cost)}`);

if (!globalThis.Bun && !deno) {
  // Tracking GC on Node: the work an allocation-heavy loop loses with each way of observing it.
  const payload = { id: 1, items: Array.from({ length: 50 }, (_, i) => ({ i, name: `item ${i}` })) };
  const phase = async (ms) => {
    const start = performance.now();
    let work = 0;
    while (performance.now() - start < ms) {
      for (let i = 0; i < 20; i++) JSON.parse(JSON.stringify(payload));
      work++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return work;
  };
  const lost = { observer: [], profiler: [] };
  let collections = 0;
  let readMs = 0;
  for (let round = 0; round < 10; round++) {
    const observer = new PerformanceObserver(() => {});
    observer.observe({ entryTypes: ['gc'] });
    const withObserver = await phase(500);
    observer.disconnect();
    const profiler = new v8.GCProfiler();
    profiler.start();
    const withProfiler = await phase(500);
    const readAt = performance.now();
    collections += profiler.stop().statistics.length;
    readMs += performance.now() - readAt;
    const without = await phase(500);
    lost.observer.push(1 - withObserver / without);
    lost.profiler.push(1 - withProfiler / without);
  }
  console.log(
    `  GC tracking under an allocation-heavy loop: a PerformanceObserver of gc entries costs ${(median(lost.observer) * 100).toFixed(1)}% of the work, ` +
      `v8.GCProfiler ${(median(lost.profiler) * 100).toFixed(1)}%; reading the profiler costs ${((readMs * 1000) / collections).toFixed(1)} µs a collection`,
  );

  // An idle process woken by a timer: the CPU each wakeup costs on this machine.
  for (const interval of [10, 20]) {
    const timer = setInterval(() => performance.now(), interval);
    const cpu = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const { user, system } = process.cpuUsage(cpu);
    clearInterval(timer);
    const percent = (user + system) / 1000 / 3000 * 100;
    console.log(`  an idle process woken every ${interval} ms uses ${percent.toFixed(2)}% of a core (${((user + system) / (3000 / interval)).toFixed(0)} µs a wakeup)`);
  }
}
closeSync(statm);
closeSync(fdDirectory);
process.exit(0);
