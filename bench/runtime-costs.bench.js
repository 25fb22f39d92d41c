// What each runtime's readings cost, where the presets choose between ways of reading: the
// figures behind the choices in the presets' READMEs. Runs on Node, Bun and Deno:
// `node bench/runtime-costs.bench.js`, `bun …`, `deno run -A …`.
import { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import { compare, runtimeName } from './measure.js';

const us = (/** @type {number} */ value) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} µs`;
/** @type {{ statSync(path: string): { size: number } } | undefined} */
const deno = Reflect.get(globalThis, 'Deno');
const buffer = Buffer.alloc(8192);
const statm = openSync('/proc/self/statm', 'r');
const fdDirectory = openSync('/proc/self/fd', 'r');

/** @type {Record<string, () => unknown>} */
const reads = {
  // The clocks a request's duration can be read from: preset-http reads performance.now() twice a request.
  'performance.now()': () => performance.now(),
  'Date.now()': () => Date.now(),
  'process.hrtime.bigint()': () => process.hrtime.bigint(),
  'process.memoryUsage()': () => process.memoryUsage(),
  'v8.getHeapStatistics()': () => v8.getHeapStatistics(),
  'v8.getHeapSpaceStatistics()': () => v8.getHeapSpaceStatistics(),
  'process.resourceUsage()': () => process.resourceUsage(),
  'process.report.getReport()': () => process.report?.getReport(),
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

// An idle process woken by a timer: the CPU each wakeup costs on this machine, from a JavaScript
// timer (the threads preset's sampler) and from the native one of monitorEventLoopDelay.
const IDLE_MS = 3000;
/** @param {() => () => void} start starts the wakeups and returns what stops them */
async function idleShare(start) {
  const stop = start();
  const cpu = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const { user, system } = process.cpuUsage(cpu);
  stop();
  return (user + system) / 1000 / IDLE_MS;
}
for (const interval of [20, 200]) {
  const share = await idleShare(() => {
    const timer = setInterval(() => performance.now(), interval);
    return () => clearInterval(timer);
  });
  console.log(
    `  an idle process woken every ${interval} ms by a timer uses ${(share * 100).toFixed(2)}% of a core (${(share * interval * 1000).toFixed(0)} µs a wakeup)`,
  );
}
const nativeShare = await idleShare(() => {
  const histogram = monitorEventLoopDelay({ resolution: 20 });
  histogram.enable();
  return () => histogram.disable();
});
console.log(`  monitorEventLoopDelay({ resolution: 20 }) in an idle process uses ${(nativeShare * 100).toFixed(2)}% of a core`);

// What @runometer/runtime's detection costs: each capability's test runs the first time it is
// asked, once per process (CAPABILITIES lists a test's dependencies before it). One reading each.
const { CAPABILITIES, detectCapabilities, has } = await import('@runometer/runtime');
const ms = (/** @type {number} */ since) => `${(performance.now() - since).toFixed(2)} ms`;
console.log(`${runtimeName()}: each capability's test the first time it is asked, once per process`);
for (const capability of /** @type {(keyof typeof CAPABILITIES)[]} */ (Object.keys(CAPABILITIES))) {
  if (capability === 'workerEvents') continue;
  const since = performance.now();
  const offered = has(capability);
  console.log(`  ${capability.padEnd(26)} ${ms(since).padStart(10)}  ${offered ? 'offered' : 'not offered'}`);
}
// Every other answer is kept by now: what is left is the worker thread the test starts.
const since = performance.now();
const { workerEvents } = await detectCapabilities();
console.log(
  `  ${'workerEvents'.padEnd(26)} ${ms(since).padStart(10)}  ${workerEvents ? 'offered' : 'not offered'} (never asked while a meter runs)`,
);
closeSync(statm);
closeSync(fdDirectory);
process.exit(0);
