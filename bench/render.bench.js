// What a render costs, on the runtime that runs this file (`node`, `bun`, `deno run -A`):
// 1. `render()` of a meter with 30 synchronous fields and 5 tags. Target: 10 µs or less on Node.
// 2. The curve: ns per field for meters of 1 to 10 000 float fields, and per row for a series of
//    1 to 10 000 rows: `collect()` alone, `render()` (collect and line protocol), and each format
//    of one snapshot; beside them prom-client's `register.metrics()` with the same gauges, against
//    our `collect()` and Prometheus text, in the same process. Target: flat, and 150 ns or less per
//    field or row from 100 up in each of our columns (below that, a render's fixed cost, about a
//    microsecond, dominates).
// 3. Aggregation: 1, 4 and 16 snapshots of the four presets (a cluster primary's body: each
//    worker's lines tagged `worker` and `pid`), each format, ns per field of the body.
// 4. Histograms: a series of 10 to 1000 rows of a histogram of 12 buckets (11 bounds and +Inf),
//    ns per bucket of the body in each format, beside prom-client's Histogram of the same label
//    sets and buckets; and what `HistogramRecorder.record()` costs.
// 5. Native histograms: the same rows with schema 3's native buckets too, the protobuf exposition
//    (classic and native buckets) against Prometheus text (classic only), per row and as a ratio;
//    `record()` with the native buckets, and what it allocates once warm.
// Every figure is a median over interleaved rounds (see measure.js).
import { HistogramRecorder, Runometer, toJson, toLineProtocol, toOpenMetrics, toPrometheus, toPrometheusProtobuf } from '@runometer/core';
import { MemoryPreset } from '@runometer/preset-memory';
import { OtherPreset } from '@runometer/preset-other';
import { SocketsPreset } from '@runometer/preset-sockets';
import { ThreadsPreset } from '@runometer/preset-threads';
import client from 'prom-client';
import { compare, runtimeName } from './measure.js';

/** @typedef {import('@runometer/core').Snapshot} Snapshot */

const TARGET_US = 10;
const TARGET_NS_PER_FIELD = 150;
const SIZES = [1, 10, 100, 300, 500, 1000, 3000, 10_000];
const WORKERS = [1, 4, 16];
const ROUNDS = { rounds: 11, batchMs: 20 };
const runtime = runtimeName();

function meterWith30FieldsAnd5Tags() {
  const meter = new Runometer('bench')
    .addTag('app', 'api')
    .addTag('region', 'eu-west-1')
    .addTag('env', 'production')
    .addTag('host', () => 'host-1')
    .addTag('version', () => '1.2.3')
    .addContextBuilder(() => ({ base: performance.now() }));
  for (let i = 0; i < 10; i++) meter.addField(`float_${i}`, (ctx) => ctx.base / (i + 1));
  for (let i = 0; i < 10; i++) meter.addField(`int_${i}`, (ctx) => Math.trunc(ctx.base) + i, { type: 'integer' });
  for (let i = 0; i < 5; i++) meter.addField(`str_${i}`, () => `value ${i}`, { type: 'string' });
  for (let i = 0; i < 5; i++) meter.addField(`bool_${i}`, () => i % 2 === 0, { type: 'boolean' });
  return meter;
}

const small = meterWith30FieldsAnd5Tags();
const { render: smallRender } = await compare({ render: () => small.render() });
console.log(
  `${runtime}: render() of 30 sync fields and 5 tags: median ${smallRender.median.toFixed(2)} µs per render over 21 rounds ` +
    `(target ≤ ${TARGET_US} µs: ${smallRender.median <= TARGET_US ? 'met' : 'MISSED'})`,
);

// Values change at every render, as a process's do (a number's text is not cached from the last render);
// they are whole numbers: a fraction adds the runtime's number-to-text conversion to every format alike.
let scrapes = 0;
const nextScrape = () => ({ scrape: ++scrapes });

/** A meter of `size` float fields, and prom-client's registry of the same gauges. @param {number} size */
function fieldsOf(size) {
  const meter = new Runometer('bench').addContextBuilder(nextScrape);
  for (let i = 0; i < size; i++) meter.addField(`float_${i}`, (ctx) => ctx.scrape + i);
  const registry = new client.Registry();
  for (let i = 0; i < size; i++) {
    new client.Gauge({
      name: `bench_float_${i}`,
      help: `float_${i} of bench`,
      registers: [registry],
      collect() {
        this.set(scrapes + i);
      },
    });
  }
  return { meter, registry };
}

/** A meter with one series of `size` rows (one tag, one float field each), and prom-client's gauge of as many label sets. @param {number} size */
function rowsOf(size) {
  const ids = Array.from({ length: size }, (_, i) => `r${i}`);
  const meter = new Runometer('bench')
    .addContextBuilder(nextScrape)
    .addSeries('rows', (ctx) => ids.map((id, i) => ({ tags: { id }, fields: { value: ctx.scrape + i } })), {
      tags: ['id'],
      fields: { value: {} },
    });
  const registry = new client.Registry();
  new client.Gauge({
    name: 'bench_value',
    help: 'value of bench',
    labelNames: ['id'],
    registers: [registry],
    collect() {
      for (let i = 0; i < size; i++) this.set({ id: /** @type {string} */ (ids[i]) }, scrapes + i);
    },
  });
  return { meter, registry };
}

const FORMATS = {
  influx: toLineProtocol,
  prometheus: toPrometheus,
  openmetrics: toOpenMetrics,
  json: toJson,
  protobuf: toPrometheusProtobuf,
};
const COLUMNS = ['collect', 'render', ...Object.keys(FORMATS), 'prom-client'];
const cell = (/** @type {string | number} */ text, width = 12) => String(text).padStart(width);

/** @param {string} what @param {(size: number) => { meter: Runometer, registry: import('prom-client').Registry }} make */
async function curve(what, make) {
  console.log(
    `\n${runtime}: ns per ${what}, median of ${ROUNDS.rounds} rounds (prom-client: register.metrics(); ratio: it over our collect() + Prometheus text)`,
  );
  console.log(`${cell(what === 'field' ? 'fields' : 'rows', 8)}${COLUMNS.map((name) => cell(name)).join('')}${cell('ratio', 8)}`);
  /** The most each of ours costs per ${what} from 100 up. @type {Map<string, number>} */
  const worst = new Map();
  for (const size of SIZES) {
    const { meter, registry } = make(size);
    const snapshot = await meter.collect();
    const results = await compare(
      {
        scrape: async () => toPrometheus(await meter.collect()),
        collect: () => meter.collect(),
        render: () => meter.render(),
        ...Object.fromEntries(Object.entries(FORMATS).map(([name, format]) => [name, () => format(snapshot)])),
        'prom-client': () => {
          scrapes++;
          return registry.metrics();
        },
      },
      ROUNDS,
    );
    const medians = /** @type {Record<string, { median: number }>} */ (results);
    const perField = (/** @type {string} */ name) => ((medians[name]?.median ?? NaN) * 1000) / size;
    if (size >= 100) for (const name of COLUMNS.slice(0, -1)) worst.set(name, Math.max(worst.get(name) ?? 0, perField(name)));
    console.log(
      `${cell(size, 8)}${COLUMNS.map((name) => cell(perField(name).toFixed(0))).join('')}${cell(`${results['prom-client']?.ratioToFirst.toFixed(1)}×`, 8)}`,
    );
  }
  for (const [name, most] of worst) {
    console.log(
      `${name} from 100 ${what}s up: at most ${most.toFixed(0)} ns per ${what} (target ≤ ${TARGET_NS_PER_FIELD}: ${most <= TARGET_NS_PER_FIELD ? 'met' : 'MISSED'})`,
    );
  }
}

await curve('field', fieldsOf);
await curve('row', rowsOf);

/**
 * The snapshot as a cluster worker's reaches the primary: every line tagged `worker` and `pid`
 * (tags stay sorted by key), and every object a new one, as a message from another process is.
 * @param {Snapshot} snapshot @param {number} worker @returns {Snapshot}
 */
function asWorker(snapshot, worker) {
  const added = [
    { key: 'pid', value: String(10_000 + worker) },
    { key: 'worker', value: String(worker) },
  ];
  const points = snapshot.points.map((point) => ({
    ...point,
    tags: [...point.tags, ...added].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  }));
  return structuredClone({ ...snapshot, points });
}

const presets = new Runometer('node').addTag('app', 'bench').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset);
// Let the event-loop monitors take samples and the windows a slot before measuring.
await new Promise((resolve) => setTimeout(resolve, 1100));
const own = await presets.collect();
await presets.close();
const fieldsPerSnapshot = own.points.reduce((sum, point) => sum + point.fields.length, 0);
console.log(
  `\n${runtime}: ns per field of a body of 1, 4 and 16 snapshots of the four presets (${fieldsPerSnapshot} fields, ` +
    `${own.points.length} lines each, tagged worker and pid), median of ${ROUNDS.rounds} rounds`,
);
console.log(
  `${cell('workers', 8)}${cell('fields', 8)}${Object.keys(FORMATS)
    .map((name) => cell(name))
    .join('')}`,
);
for (const workers of WORKERS) {
  const snapshots = Array.from({ length: workers }, (_, i) => asWorker(own, i + 1));
  const results = await compare(
    Object.fromEntries(Object.entries(FORMATS).map(([name, format]) => [name, () => format(snapshots)])),
    ROUNDS,
  );
  const fields = workers * fieldsPerSnapshot;
  console.log(
    `${cell(workers, 8)}${cell(fields, 8)}${Object.keys(FORMATS)
      .map((name) => cell((((results[name]?.median ?? NaN) * 1000) / fields).toFixed(0)))
      .join('')}`,
  );
}

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BUCKETS = BOUNDS.length + 1;
/** Observations spread over the buckets, the same for every row. */
const OBSERVATIONS = Array.from({ length: 64 }, (_, i) => 0.004 * 1.13 ** i);

const NATIVE = { schema: 3, zeroThreshold: 2 ** -20 };

/**
 * A meter with one series of `size` rows, a histogram each (with native buckets when `native` is
 * given), and prom-client's Histogram of as many label sets.
 * @param {number} size @param {typeof NATIVE} [native]
 */
function histogramsOf(size, native) {
  const routes = Array.from({ length: size }, (_, i) => `/r${i}`);
  const recorders = routes.map(() => new HistogramRecorder(BOUNDS, native));
  const registry = new client.Registry();
  const histogram = new client.Histogram({
    name: 'bench_duration_seconds',
    help: 'duration of bench',
    labelNames: ['route'],
    buckets: BOUNDS,
    registers: [registry],
  });
  for (const [i, route] of routes.entries()) {
    for (const seconds of OBSERVATIONS) {
      recorders[i]?.record(seconds);
      histogram.observe({ route }, seconds);
    }
  }
  const meter = new Runometer('bench').addSeries(
    'routes',
    () => routes.map((route, i) => ({ tags: { route }, fields: { duration_seconds: recorders[i]?.snapshot() } })),
    {
      tags: ['route'],
      fields: { duration_seconds: { kind: 'histogram', buckets: BOUNDS, native } },
    },
  );
  return { meter, registry, recorders };
}

console.log(
  `\n${runtime}: ns per bucket of a series of histograms of ${BUCKETS} buckets, median of ${ROUNDS.rounds} rounds (prom-client: register.metrics() of a Histogram)`,
);
console.log(`${cell('rows', 8)}${cell('buckets', 8)}${[...Object.keys(FORMATS), 'prom-client'].map((name) => cell(name)).join('')}`);
for (const size of [10, 100, 1000]) {
  const { meter, registry } = histogramsOf(size);
  const snapshot = await meter.collect();
  const results = await compare(
    {
      ...Object.fromEntries(Object.entries(FORMATS).map(([name, format]) => [name, () => format(snapshot)])),
      'prom-client': () => registry.metrics(),
    },
    ROUNDS,
  );
  const buckets = size * BUCKETS;
  /** @type {Record<string, { median: number }>} */
  const timings = results;
  const perBucket = (/** @type {string} */ name) => (((timings[name]?.median ?? NaN) * 1000) / buckets).toFixed(0);
  console.log(
    `${cell(size, 8)}${cell(buckets, 8)}${[...Object.keys(FORMATS), 'prom-client'].map((name) => cell(perBucket(name))).join('')}`,
  );
}
const recorder = new HistogramRecorder(BOUNDS);
const RECORDS = 10_000;
const { record } = await compare({
  record: () => {
    for (let i = 0; i < RECORDS; i++) recorder.record(/** @type {number} */ (OBSERVATIONS[i & 63]));
  },
});
console.log(
  `${runtime}: HistogramRecorder.record() of ${BUCKETS} buckets: median ${((record.median * 1000) / RECORDS).toFixed(1)} ns per observation`,
);

const nativeSpan = Math.round(Math.log2(/** @type {number} */ (OBSERVATIONS.at(-1)) / /** @type {number} */ (OBSERVATIONS[0])) * 8);
console.log(
  `\n${runtime}: native histograms (schema 3, ${nativeSpan} native buckets a row beside ${BUCKETS} classic), ns per row, median of ${ROUNDS.rounds} rounds`,
);
console.log(
  `${cell('rows', 8)}${cell('prometheus', 12)}${cell('protobuf', 12)}${cell('ratio', 8)}${cell('text B', 10)}${cell('proto B', 10)}`,
);
for (const size of [10, 100, 1000]) {
  const { meter } = histogramsOf(size, NATIVE);
  const snapshot = await meter.collect();
  const results = await compare({ prometheus: () => toPrometheus(snapshot), protobuf: () => toPrometheusProtobuf(snapshot) }, ROUNDS);
  const perRow = (/** @type {'prometheus' | 'protobuf'} */ name) => (results[name].median * 1000) / size;
  console.log(
    `${cell(size, 8)}${cell(perRow('prometheus').toFixed(0), 12)}${cell(perRow('protobuf').toFixed(0), 12)}` +
      `${cell(`${(perRow('protobuf') / perRow('prometheus')).toFixed(2)}×`, 8)}` +
      `${cell(new TextEncoder().encode(toPrometheus(snapshot)).length, 10)}${cell(toPrometheusProtobuf(snapshot).length, 10)}`,
  );
}
const nativeRecorder = new HistogramRecorder(BOUNDS, NATIVE);
const { record: nativeRecord } = await compare({
  record: () => {
    for (let i = 0; i < RECORDS; i++) nativeRecorder.record(/** @type {number} */ (OBSERVATIONS[i & 63]));
  },
});
// What a warm recorder allocates: the collections twenty million observations cause (Node reports them; none, or
// one or two of the compiler's own, when nothing is allocated per observation: 16 bytes each would be hundreds).
let collections = 0;
const { PerformanceObserver } = await import('node:perf_hooks');
const observer = new PerformanceObserver((list) => {
  collections += list.getEntries().length;
});
let observing = true;
try {
  observer.observe({ entryTypes: ['gc'] });
} catch {
  observing = false;
}
const OBSERVED = 20_000_000;
for (let i = 0; i < OBSERVED; i++) nativeRecorder.record(/** @type {number} */ (OBSERVATIONS[i & 63]));
await new Promise((resolve) => setTimeout(resolve, 50));
observer.disconnect();
console.log(
  `${runtime}: HistogramRecorder.record() with native buckets: median ${((nativeRecord.median * 1000) / RECORDS).toFixed(1)} ns per observation; ` +
    (observing
      ? `${collections} garbage collections during ${OBSERVED / 1e6} million more`
      : 'this runtime reports no garbage collections'),
);
process.exit(0);
