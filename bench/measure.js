import { fileURLToPath } from 'node:url';

// The benchmarks' one harness, for Node, Bun and Deno alike. Tasks are timed in batches, and the
// batches of all tasks are interleaved round after round: a shared machine that slows down for a
// moment slows every task alike, so the ratio between them holds where absolute figures drift.

async function timeBatch(fn, calls) {
  const start = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  return performance.now() - start;
}

/** How many calls make a batch of about `batchMs`, after warming the task up. */
async function batchSize(fn, batchMs) {
  for (let calls = 1; ; calls *= 2) {
    const elapsed = await timeBatch(fn, calls);
    if (elapsed >= batchMs / 4) return Math.max(1, Math.round((calls * batchMs) / elapsed));
  }
}

/**
 * Per-call time of each task in µs: the median over `rounds` of interleaved batches, and, for
 * every task, its median per-round ratio to the first task (how many times slower it is).
 */
export async function compare(tasks, { rounds = 21, batchMs = 50 } = {}) {
  const names = Object.keys(tasks);
  const calls = {};
  for (const name of names) calls[name] = await batchSize(tasks[name], batchMs);
  const perCall = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      perCall[name].push(((await timeBatch(tasks[name], calls[name])) * 1000) / calls[name]);
    }
  }
  const first = perCall[names[0]];
  return Object.fromEntries(
    names.map((name) => [name, { median: median(perCall[name]), ratioToFirst: median(perCall[name].map((us, round) => us / first[round])) }]),
  );
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

export const runtimeName = () =>
  globalThis.Bun ? `Bun ${process.versions.bun}` : globalThis.Deno ? `Deno ${Deno.version.deno}` : `Node ${process.versions.node}`;

const binary = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));

/** The command that runs a JavaScript file of bench/ on each runtime: the benchmarks' children. */
export const RUNTIMES = {
  node: (file) => [process.execPath, file],
  bun: (file) => [binary('bun'), file],
  deno: (file) => [binary('deno'), 'run', '-A', file],
};
