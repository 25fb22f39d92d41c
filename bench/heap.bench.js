// What a monitoring makes a busy service's heap keep, on each Node line: host-app.js's JSON
// service driven by autocannon, run with V8's --trace-gc, one service at a time. A bare service of
// this kind promotes nothing: each request's objects die young, its old generation stays flat and it
// never needs a full collection. What survives two scavenges because of the monitoring is promoted,
// grows the old generation until a mark-compact, and V8 then grows the young generation: each of
// those costs the service CPU that no JavaScript profile shows (issue 18). Unlike the CPU paired
// against a twin, these counts hardly depend on the machine's speed, so one run of each suffices.
// Printed, never asserted.
//   node bench/heap.bench.js [--seconds=s] [--monitorings=a,b,…] [runtime …]
//   runtimes: every Node line of tools/runtimes.js by default; monitorings as host-app.js names them
import { fileURLToPath } from 'node:url';
import { NODES, runtimeNamed } from '../tools/runtimes.js';
import { drive, start } from './services.js';

const CONNECTIONS = 5;
const WARMUP_SECONDS = 3;
const DEFAULT_SECONDS = 15;
const MONITORINGS = ['bare', 'gc-observer', 'prom-client', 'runometer', 'threads', 'other'];

/**
 * One collection as --trace-gc prints it (Node 20 to 26):
 * `[pid:0x…]  1234 ms: Scavenge 12.7 (18.3) -> 9.4 (18.3) MB, …`.
 * @typedef {{ kind: string, before: number, after: number, committed: number }} Collection the heap's used MB before and after, and its committed MB after
 */
const TRACE_LINE = /^\[\d+:0x[\da-f]+\]\s+\d+ ms: ([A-Za-z -]+?) ([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/;

/** @param {string} line @returns {Collection | undefined} */
export function parseTraceLine(line) {
  const match = TRACE_LINE.exec(line);
  if (match === null) return undefined;
  const [, kind = '', before, , after, committed] = match;
  return { kind, before: Number(before), after: Number(after), committed: Number(committed) };
}

/**
 * What the collections of a stretch of load say: how many of each kind, what the young generation
 * frees each time (its size, near enough), and how much the heap kept from one scavenge to the next
 * (the old generation's growth: rises of the heap left after a scavenge, none counted across a full
 * collection).
 * @param {readonly Collection[]} collections
 */
export function summarise(collections) {
  const scavenges = collections.filter((collection) => collection.kind === 'Scavenge');
  let kept = 0;
  for (let i = 1; i < collections.length; i++) {
    const [previous, current] = [/** @type {Collection} */ (collections[i - 1]), /** @type {Collection} */ (collections[i])];
    if (previous.kind === 'Scavenge' && current.kind === 'Scavenge') kept += Math.max(0, current.after - previous.after);
  }
  const freed = scavenges.reduce((sum, { before, after }) => sum + before - after, 0);
  return {
    scavenges: scavenges.length,
    fullCollections: collections.filter((collection) => collection.kind === 'Mark-Compact').length,
    freedPerScavenge: scavenges.length === 0 ? 0 : freed / scavenges.length,
    keptMegabytes: kept,
    committed: collections.at(-1)?.committed ?? 0,
  };
}

/**
 * @param {import('../tools/runtimes.js').Runtime} runtime
 * @param {string} monitoring
 * @param {number} seconds
 */
async function measure(runtime, monitoring, seconds) {
  /** @type {Collection[]} */
  const collections = [];
  let counting = false;
  const service = await start(runtime, 'node-http', monitoring, ['--trace-gc'], (line) => {
    const collection = parseTraceLine(line);
    if (counting && collection !== undefined) collections.push(collection);
  });
  try {
    await drive(service, WARMUP_SECONDS, CONNECTIONS);
    await service.mark();
    counting = true;
    const requests = await drive(service, seconds, CONNECTIONS);
    await service.mark();
    return { runtime: service.runtime, requests, ...summarise(collections) };
  } finally {
    await service.stop();
  }
}

// Run as a script, not when a test imports its helpers.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let seconds = DEFAULT_SECONDS;
  let monitorings = MONITORINGS;
  /** @type {string[]} */
  const runtimes = [];
  for (const argument of process.argv.slice(2)) {
    const [name, value = ''] = argument.split('=', 2);
    if (name === '--seconds' && Number(value) > 0) seconds = Number(value);
    else if (name === '--monitorings' && value !== '') monitorings = value.split(',');
    else if (name?.startsWith('--')) throw new Error(`unknown option "${argument}"`);
    else runtimes.push(argument);
  }
  for (const runtime of runtimes.length > 0 ? runtimes.map(runtimeNamed) : NODES) {
    /** @type {string[]} */
    const rows = [];
    let version = '';
    for (const monitoring of monitorings) {
      const result = await measure(runtime, monitoring, seconds);
      version = result.runtime;
      const perThousand = 1000 / result.requests;
      rows.push(
        `  ${monitoring.padEnd(12)} kept ${((result.keptMegabytes * 1024 * perThousand).toFixed(1) + ' KB').padStart(9)} a thousand requests, ` +
          `scavenges ${(result.scavenges * perThousand * 10).toFixed(2).padStart(5)} per 10k requests, each freeing ${result.freedPerScavenge.toFixed(1)} MB, ` +
          `${result.fullCollections} mark-compact${result.fullCollections === 1 ? '' : 's'}, heap ${result.committed} MB`,
      );
    }
    console.log(
      `${version}: what each monitoring makes the service's heap keep, ${seconds} s of load at ${CONNECTIONS} connections each (--trace-gc)`,
    );
    for (const row of rows) console.log(row);
    console.log('');
  }
}
