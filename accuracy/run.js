// `npm run accuracy`: drives a child process under known loads on Node, Bun and Deno, scrapes it
// through the real endpoint (server-hono, ?format=json), and compares each value with the
// ground truth. Prints scenario × runtime × field × expected × reported × verdict. A near miss
// is reported (a shared machine is noisy); a gross error, a field present where the runtime
// cannot measure it, a missing field or a harness that breaks fails the run (verdict.js).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SCENARIOS } from './scenarios.js';
import { busyMachine, judge } from './verdict.js';

const host = fileURLToPath(new URL('./host.js', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const RUNTIMES = {
  node: [process.execPath, '--expose-gc', host],
  bun: [bin('bun'), host],
  deno: [bin('deno'), 'run', '-A', '--v8-flags=--expose-gc', host],
};

/** Fields of the meter's own line, and series fields as `field{tag=value}`. */
function flatten(json) {
  const values = {};
  for (const point of json.points) {
    const label = point.series === undefined ? '' : `{${Object.entries(point.tags).filter(([key]) => ['gc_kind', 'space', 'resource_type'].includes(key)).map(([k, v]) => `${k}=${v}`).join(',')}}`;
    for (const [key, value] of Object.entries(point.fields)) values[`${key}${label}`] = Number(value);
  }
  return values;
}

/** What a scrape says of `field`: whether it appears, and its value (or with `previous`, its move since). */
function reading(field, scraped, previous) {
  const present = field in scraped || (previous !== undefined && field in previous);
  if (!(field in scraped)) return { present };
  if (previous === undefined) return { present, value: scraped[field] };
  return { present, value: field in previous ? scraped[field] - previous[field] : undefined };
}

async function runOn(runtime) {
  const [command, ...args] = RUNTIMES[runtime];
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const read = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${runtime}: the host process ended early`);
    return JSON.parse(value);
  };
  const { port, gc } = await read();
  const scrape = async () => flatten(await (await fetch(`http://127.0.0.1:${port}/?format=json`)).json());
  const phase = async (name) => {
    child.stdin.write(`${name}\n`);
    const done = await read();
    return { done, scraped: await scrape() };
  };
  const atRest = await scrape();
  const rows = [];
  for (const scenario of SCENARIOS) {
    let previous = atRest;
    for (const step of scenario.steps) {
      const { done, scraped } = await phase(step.phase);
      const busy = scenario.timing ? busyMachine(done) : undefined;
      for (const check of step.checks) {
        const { present, value } = reading(check.field, scraped, step.delta && !check.level ? previous : undefined);
        let reported = value !== undefined ? (Number.isInteger(value) ? String(value) : value.toPrecision(4)) : present ? 'in one scrape only' : 'absent';
        let verdict;
        if (scenario.gc && !gc) [reported, verdict] = ['-', 'skipped: no forced GC here'];
        else {
          const { status, rule } = judge(check, runtime, { present, value, busy });
          verdict = rule ? `${status}: ${rule}` : status;
        }
        rows.push([`${scenario.name} [${step.phase}]`, runtime, check.field, check.expected, reported, verdict]);
      }
      previous = scraped;
    }
  }
  child.stdin.end('stop\n');
  await new Promise((resolve) => child.once('exit', resolve));
  return rows;
}

const rows = [['scenario', 'runtime', 'field', 'expected', 'reported', 'verdict']];
// `node accuracy/run.js node deno` runs only those runtimes.
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(RUNTIMES);
for (const runtime of chosen) rows.push(...(await runOn(runtime)));
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
const verdicts = rows.slice(1).map((row) => row[5]);
const counts = verdicts.reduce((tally, verdict) => ({ ...tally, [verdict.split(':')[0]]: (tally[verdict.split(':')[0]] ?? 0) + 1 }), {});
console.log(`\n${Object.entries(counts).map(([verdict, n]) => `${n} ${verdict}`).join(', ')} (near misses are reported; FAIL is a gross error)`);
const failed = rows.slice(1).filter((row) => row[5].startsWith('FAIL'));
if (failed.length > 0) {
  console.log(`\nFailed:\n${failed.map((row) => `  ${row[1]} ${row[0]} ${row[2]}: ${row[4]} where ${row[3]} (${row[5]})`).join('\n')}`);
  process.exitCode = 1;
}
