// `npm run accuracy`: drives a child process under known loads on each Node, Bun and Deno, scrapes it
// through the real endpoint (server-hono, ?format=json), and compares each value with the
// ground truth. Prints scenario × runtime × field × expected × reported × verdict. A near miss
// is reported (a shared machine is noisy); a gross error, a field present where the runtime
// cannot measure it, a missing field or a harness that breaks fails the run (verdict.js).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SCENARIOS } from './scenarios.js';
import { catalogEntry, measures } from '../tools/catalog.js';
import { histogramReading } from './histogram-reading.js';
import { knownRuntimeOf } from '@runometer/runtime';
import { EVERY_RUNTIME, launch, runtimeNamed } from '../tools/runtimes.js';
import { busyMachine, judge } from './verdict.js';

const host = fileURLToPath(new URL('./host.js', import.meta.url));

/** @typedef {import('./histogram-reading.js').JsonHistogram} JsonHistogram */
/** @typedef {Record<string, number | JsonHistogram>} Scraped a scrape's values by field: a number, or a histogram field's buckets */
/** @typedef {[scenario: string, runtime: string, field: string, expected: string, reported: string, verdict: string]} Row */

/**
 * Fields of the meter's own line, and series fields as `field{tag=value}`.
 * @param {{ points: { series?: string, tags: Record<string, string>, fields: Record<string, unknown> }[] }} json the server's `?format=json` body
 * @returns {Scraped}
 */
function flatten(json) {
  /** @type {Scraped} */
  const values = {};
  for (const point of json.points) {
    const label =
      point.series === undefined
        ? ''
        : `{${Object.entries(point.tags)
            .filter(([key]) => ['gc_kind', 'space', 'resource_type'].includes(key))
            .map(([k, v]) => `${k}=${v}`)
            .join(',')}}`;
    for (const [key, value] of Object.entries(point.fields))
      values[`${key}${label}`] = catalogEntry(key).kind === 'histogram' ? /** @type {JsonHistogram} */ (value) : Number(value);
  }
  return values;
}

/**
 * What a scrape says of `check`'s field: whether it appears, and its value (or with `previous`,
 * its move since); of a histogram field, what `check.of` reads of what it gained since `previous`.
 * @param {import('./verdict.js').Check} check @param {Scraped} scraped @param {Scraped} [previous]
 * @returns {{ present: boolean, value?: number | undefined }}
 */
function reading({ field, of }, scraped, previous) {
  const [now, before] = [scraped[field], previous?.[field]];
  const present = now !== undefined || before !== undefined;
  if (now === undefined) return { present };
  if (typeof now !== 'number') {
    if (of === undefined) throw new Error(`${field} is a histogram: its check says what to read of it (ofHistogram)`);
    return { present, value: histogramReading(of, now, typeof before === 'number' ? undefined : before) };
  }
  if (previous === undefined) return { present, value: now };
  return { present, value: typeof before === 'number' ? now - before : undefined };
}

/** @param {import('../tools/runtimes.js').Runtime} runtime @returns {Promise<Row[]>} */
async function runOn(runtime) {
  const [command, ...args] = launch(runtime, host, { exposeGc: true });
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const read = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${runtime}: the host process ended early`);
    return JSON.parse(value);
  };
  const { port, gc, runtime: detected } = await read();
  // What the catalog says this runtime measures: Node's by its line.
  const known = knownRuntimeOf(detected);
  if (known === undefined)
    throw new Error(
      `${runtime} is ${detected.name} ${detected.version}, which KNOWN_RUNTIMES has not checked: run \`npm run capabilities\``,
    );
  const scrape = async () =>
    flatten(/** @type {Parameters<typeof flatten>[0]} */ (await (await fetch(`http://127.0.0.1:${port}/?format=json`)).json()));
  const phase = async (/** @type {string} */ name) => {
    child.stdin.write(`${name}\n`);
    const done = await read();
    return { done, scraped: await scrape() };
  };
  const atRest = await scrape();
  /** The scrape before this phase's: what a histogram gained is what the phase added. */
  let last = atRest;
  /** @type {Row[]} */
  const rows = [];
  for (const scenario of SCENARIOS) {
    let previous = atRest;
    for (const step of scenario.steps) {
      const { done, scraped } = await phase(step.phase);
      const lastBefore = last;
      last = scraped;
      const busy = scenario.timing ? busyMachine(done) : undefined;
      for (const check of step.checks) {
        const since = check.of !== undefined ? lastBefore : step.delta && !check.level ? previous : undefined;
        const { present, value } = reading(check, scraped, since);
        let reported =
          value !== undefined
            ? Number.isInteger(value)
              ? String(value)
              : value.toPrecision(4)
            : present
              ? 'in one scrape only'
              : 'absent';
        let verdict;
        if (scenario.gc && !gc) [reported, verdict] = ['-', 'skipped: no forced GC here'];
        else {
          const { status, rule } = judge(check, runtime, { measured: measures(known, check.field), present, value, busy });
          verdict = rule ? `${status}: ${rule}` : status;
        }
        const read = check.of === undefined ? '' : check.of === 'count' ? ' count' : ` p${check.of * 100} bucket`;
        rows.push([`${scenario.name} [${step.phase}]`, runtime, `${check.field}${read}`, check.expected, reported, verdict]);
      }
      previous = scraped;
    }
  }
  child.stdin.end('stop\n');
  await new Promise((resolve) => child.once('exit', resolve));
  return rows;
}

/** @type {Row} */
const header = ['scenario', 'runtime', 'field', 'expected', 'reported', 'verdict'];
/** @type {Row[]} */
const results = [];
// `node accuracy/run.js node24 deno` runs only those runtimes.
const chosen = process.argv.length > 2 ? process.argv.slice(2).map(runtimeNamed) : EVERY_RUNTIME;
for (const runtime of chosen) results.push(...(await runOn(runtime)));
const widths = header.map((_, column) => Math.max(...[header, ...results].map((row) => row[column]?.length ?? 0)));
for (const row of [header, ...results])
  console.log(
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd(),
  );
/** @type {Map<string, number>} */
const counts = new Map();
for (const [, , , , , verdict] of results) {
  const status = verdict.split(':')[0] ?? verdict;
  counts.set(status, (counts.get(status) ?? 0) + 1);
}
console.log(`\n${[...counts].map(([verdict, n]) => `${n} ${verdict}`).join(', ')} (near misses are reported; FAIL is a gross error)`);
const failed = results.filter((row) => row[5].startsWith('FAIL'));
if (failed.length > 0) {
  console.log(`\nFailed:\n${failed.map((row) => `  ${row[1]} ${row[0]} ${row[2]}: ${row[4]} where ${row[3]} (${row[5]})`).join('\n')}`);
  process.exitCode = 1;
}
