// What a cluster's primary spends per scrape with 1, 4 and 16 real workers, each running the four
// presets and reporting to it (`node bench/cluster.bench.js`, over the built packages). The
// primary's CPU time (process.cpuUsage: every thread of it, IPC parsing included) per scrape,
// collect and line protocol; then the same without workers, so that the difference is what the
// workers' lines cost: per field and per line (row) they added, user and system time apart (system
// time is mostly the wakeup for each answer, which on this VM costs more than the rest). Each
// worker's CPU per scrape too. Then the aggregation alone (decoding the answers, tagging every
// line), timed in this process over answers of the four presets, for 1, 4 and 16 workers.
import cluster from 'node:cluster';
import { Runometer, toLineProtocol } from '@runometer/core';
import { clusterSource, reportToPrimary } from '@runometer/cluster';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import { compare, median, runtimeName } from './measure.js';
// The aggregation alone, in this process, on answers captured from the workers: the package's
// internal wire format, imported from TypeScript's output (not a public entry point, so not in the bundle), typed from its source
// (a static import would make the typecheck need a build).
/** @type {typeof import('../packages/cluster/src/wire.js')} */
const { SpecTable } = await import(new URL('../packages/cluster/compiled/wire.js', import.meta.url).href);
/** @type {typeof import('../packages/cluster/src/decode-answer.js')} */
const { decodeAnswer, knownSpecs } = await import(new URL('../packages/cluster/compiled/decode-answer.js', import.meta.url).href);

const WORKER_COUNTS = [1, 4, 16];
const ROUNDS = 11;
const SCRAPES_PER_ROUND = 20;
const TARGET_NS = 150;

const fourPresets = () => new Runometer('node').addTag('app', 'bench').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);

if (cluster.isWorker) {
  reportToPrimary(fourPresets());
  process.on('message', (/** @type {any} */ message) => {
    if (message?.bench === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ bench: 'cpu', micros: user + system });
    }
  });
  process.send?.({ bench: 'ready' });
} else {
  /** @param {import('node:cluster').Worker} worker @param {string} what @returns {Promise<any>} */
  const next = (worker, what) =>
    new Promise((resolve) => {
      const listener = (/** @type {any} */ message) => {
        if (message?.bench !== what) return;
        worker.off('message', listener);
        resolve(message);
      };
      worker.on('message', listener);
    });
  const cpuMicros = () => process.cpuUsage();

  /** CPU µs per scrape of the primary, median over rounds, and what one scrape holds. @param {import('@runometer/core').SnapshotSource} source */
  async function scrapes(source) {
    const perScrape = [];
    const systemPerScrape = [];
    let shape = { fields: 0, rows: 0, bytes: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const start = cpuMicros();
      for (let i = 0; i < SCRAPES_PER_ROUND; i++) {
        const collected = await source.collect();
        const snapshots = Array.isArray(collected) ? collected : [collected];
        const body = toLineProtocol(snapshots);
        const points = snapshots.flatMap((snapshot) => snapshot.points);
        shape = { fields: points.reduce((sum, point) => sum + point.fields.length, 0), rows: points.length, bytes: body.length };
      }
      const { user, system } = process.cpuUsage(start);
      perScrape.push((user + system) / SCRAPES_PER_ROUND);
      systemPerScrape.push(system / SCRAPES_PER_ROUND);
    }
    return { cpu: median(perScrape), system: median(systemPerScrape), ...shape };
  }

  // The primary's own meter is a bare one: the four presets' background work (the event-loop
  // sampler) costs CPU per second, not per scrape, and scrapes that wait for workers last longer.
  const own = new Runometer('node').addTag('app', 'bench').addField('up', () => true, { type: 'boolean' });
  const alone = await scrapes(own);
  console.log(
    `${runtimeName()}: the primary alone (a bare meter, no cluster): ${alone.cpu.toFixed(0)} µs CPU per scrape, ${alone.fields} fields in ${alone.rows} lines`,
  );
  for (const count of WORKER_COUNTS) {
    const workers = Array.from({ length: count }, () => cluster.fork());
    await Promise.all(workers.map((worker) => next(worker, 'ready')));
    const source = clusterSource(own);
    await source.collect(); // every worker found, every spec sent once
    const workersBefore = await Promise.all(workers.map((worker) => (worker.send({ bench: 'cpu' }), next(worker, 'cpu'))));
    const measured = await scrapes(source);
    const workersAfter = await Promise.all(workers.map((worker) => (worker.send({ bench: 'cpu' }), next(worker, 'cpu'))));
    const workerCpu = median(workersAfter.map((after, i) => (after.micros - workersBefore[i].micros) / (ROUNDS * SCRAPES_PER_ROUND)));
    const added = {
      cpu: measured.cpu - alone.cpu,
      system: measured.system - alone.system,
      fields: measured.fields - alone.fields,
      rows: measured.rows - alone.rows,
    };
    const perField = (added.cpu * 1000) / added.fields;
    const perRow = (added.cpu * 1000) / added.rows;
    console.log(
      `${runtimeName()}: primary with ${String(count).padStart(2)} worker(s): ${measured.cpu.toFixed(0)} µs CPU per scrape (${measured.fields} fields, ${measured.rows} lines, ${measured.bytes} bytes); ` +
        `the workers add ${added.cpu.toFixed(0)} µs (${added.system.toFixed(0)} µs of it system time): ${perField.toFixed(0)} ns per field, ${perRow.toFixed(0)} ns per line; ` +
        `each worker spends ${workerCpu.toFixed(0)} µs CPU per scrape (median of workers, its presets' background work included)`,
    );
    source.close();
    await Promise.all(workers.map((worker) => new Promise((resolve) => (worker.once('exit', resolve), worker.kill()))));
  }
  await own.close();

  // The aggregation alone: what the primary does with the answers once they are parsed.
  const workerMeter = fourPresets();
  const snapshot = await workerMeter.collect();
  await workerMeter.close();
  const table = new SpecTable();
  const known = knownSpecs();
  decodeAnswer(table.answer([snapshot], null, 0), known, []);
  const answer = JSON.parse(JSON.stringify(table.answer([snapshot], known.reporter, known.specs.length)));
  const fields = snapshot.points.reduce((sum, point) => sum + point.fields.length, 0);
  const tags = (/** @type {number} */ worker) => [
    { key: 'pid', value: String(1000 + worker) },
    { key: 'worker', value: String(worker) },
  ];
  /** @type {Record<string, () => unknown>} */
  const tasks = {};
  for (const count of WORKER_COUNTS) {
    const decodeAll = () => Array.from({ length: count }, (_, i) => decodeAnswer(answer, known, tags(i + 1))).flat();
    const decoded = decodeAll();
    tasks[`decode ${count}`] = decodeAll;
    // Core's line protocol of the same lines, interleaved with it: a ratio that this VM's drift does not move.
    tasks[`render ${count}`] = () => toLineProtocol(decoded);
  }
  const timed = await compare(tasks);
  for (const count of WORKER_COUNTS) {
    const decode = timed[`decode ${count}`]?.median ?? NaN;
    const render = timed[`render ${count}`]?.median ?? NaN;
    const perField = (decode * 1000) / (fields * count);
    console.log(
      `${runtimeName()}: aggregation alone (decode and tag the answers), ${String(count).padStart(2)} worker(s), ${fields * count} fields in ${snapshot.points.length * count} lines: ` +
        `${decode.toFixed(1)} µs, ${perField.toFixed(0)} ns per field, ${((decode * 1000) / (snapshot.points.length * count)).toFixed(0)} ns per line ` +
        `(target ≤ ${TARGET_NS} ns per field: ${perField <= TARGET_NS ? 'met' : 'MISSED'}); core's toLineProtocol of the same lines ${render.toFixed(1)} µs (${(decode / render).toFixed(2)}× it)`,
    );
  }
}
