// `npm run accuracy`: drives a child process under known loads on Node, Bun and Deno, scrapes it
// through the real endpoint (server-hono, ?format=json), and compares each value with the
// ground truth. Prints scenario × runtime × field × expected × reported × verdict. Timing
// tolerances never fail the run (a shared machine is noisy); a harness that breaks does.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const host = fileURLToPath(new URL('./host.js', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const RUNTIMES = {
  node: [process.execPath, '--expose-gc', host],
  bun: [bin('bun'), host],
  deno: [bin('deno'), 'run', '-A', '--v8-flags=--expose-gc', host],
};
const MiB = 1024 * 1024;

/** A value within ±`relative` of `expected`, or within ±`absolute` of it, whichever is wider. */
const near = (field, expected, { relative = 0, absolute = 0 } = {}) => ({
  field,
  expected: `${expected}${relative ? ` ±${relative * 100}%` : ''}${absolute ? ` (or ±${absolute})` : ''}`,
  pass: (value) => Math.abs(value - expected) <= Math.max(Math.abs(expected) * relative, absolute),
});
const atLeast = (field, minimum) => ({ field, expected: `≥ ${minimum}`, pass: (value) => value >= minimum });
const atMost = (field, maximum) => ({ field, expected: `≤ ${maximum}`, pass: (value) => value <= maximum });
/** In a `delta` step, a check on the value itself rather than on how much it moved. */
const level = (check) => ({ ...check, level: true });

/**
 * Each scenario runs its steps in order in one host process; a step's checks apply to the scrape
 * after its phase, or with `delta` to the difference from the previous step's scrape.
 */
const blocks = (ms) => ({
  name: `event-loop delay, ${ms} ms blocks every ${ms === 200 ? 1000 : 250} ms`,
  steps: [
    {
      phase: `block${ms}`,
      checks: [
        near('eventloop_delay_max_seconds', ms / 1000, { relative: 0.1, absolute: 0.002 }),
        near('eventloop_delay_p99_seconds', ms / 1000, { relative: 0.1, absolute: 0.002 }),
      ],
    },
  ],
});
const busy = (percent) => ({
  name: `loop busy ${percent}% of the time`,
  steps: [{ phase: `busy${percent}`, checks: [near('eventloop_utilization', percent / 100, { absolute: 0.05 }), near('cpu_percent', percent, { absolute: 5 })] }],
});
const SCENARIOS = [
  {
    name: 'event-loop delay, idle',
    steps: [{ phase: 'idle', checks: [atMost('eventloop_delay_min_seconds', 0.001), atMost('eventloop_delay_p50_seconds', 0.002)] }],
  },
  blocks(20),
  blocks(50),
  blocks(200),
  busy(25),
  busy(50),
  busy(90),
  {
    name: 'CPU: a worker spinning and the main thread busy half the time, 11.5 s',
    steps: [
      { phase: 'baseline', checks: [] },
      {
        phase: 'busyTwoCores',
        delta: true,
        checks: [level(near('cpu_percent', 150, { absolute: 5 })), near('cpu_user_seconds', 1.5 * 11.5, { relative: 0.1 }), atMost('cpu_system_seconds', 0.5)],
      },
    ],
  },
  {
    name: 'memory: 64 MiB of ArrayBuffer and 32 MiB of JS heap retained, then released',
    steps: [
      { phase: 'baseline', checks: [] },
      { phase: 'retain', delta: true, checks: [near('array_buffers_bytes', 64 * MiB, { relative: 0.05 }), near('heap_used_bytes', 32 * MiB, { relative: 0.05 })] },
      { phase: 'release', delta: true, checks: [near('array_buffers_bytes', -64 * MiB, { relative: 0.05 }), near('heap_used_bytes', -32 * MiB, { relative: 0.05 })] },
    ],
  },
  {
    name: 'sockets: 5 TCP connections, a server, a UDP socket, then closed',
    steps: [
      { phase: 'baseline', checks: [] },
      {
        phase: 'openSockets',
        delta: true,
        checks: [near('tcp_sockets', 10), near('tcp_servers', 1), near('udp_sockets', 1), near('client_sockets_opened', 5), near('server_sockets_accepted', 5)],
      },
      { phase: 'closeSockets', delta: true, checks: [near('tcp_sockets', -10), near('tcp_servers', -1), near('udp_sockets', -1), near('sockets_closed', 10)] },
    ],
  },
  {
    name: 'timers: 7 timeouts and 3 intervals, then cleared',
    steps: [
      { phase: 'baseline', checks: [] },
      { phase: 'timers', delta: true, checks: [near('active_timers', 10)] },
      { phase: 'clearTimers', delta: true, checks: [near('active_timers', -10)] },
    ],
  },
  {
    name: 'file descriptors: 6 files opened, then closed',
    steps: [
      { phase: 'baseline', checks: [] },
      { phase: 'openFiles', delta: true, checks: [near('open_fds', 6)] },
      { phase: 'closeFiles', delta: true, checks: [near('open_fds', -6)] },
    ],
  },
  {
    name: 'GC: 5 forced collections',
    gc: true,
    steps: [
      { phase: 'baseline', checks: [] },
      { phase: 'gc', delta: true, checks: [atLeast('gc_count{gc_kind=major}', 5), atLeast('gc_pause_seconds{gc_kind=major}', 0)] },
    ],
  },
];

/** Fields of the meter's own line, and series fields as `field{tag=value}`. */
function flatten(json) {
  const values = {};
  for (const point of json.points) {
    const label = point.series === undefined ? '' : `{${Object.entries(point.tags).filter(([key]) => ['gc_kind', 'space', 'resource_type'].includes(key)).map(([k, v]) => `${k}=${v}`).join(',')}}`;
    for (const [key, value] of Object.entries(point.fields)) values[`${key}${label}`] = Number(value);
  }
  return values;
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
    await read();
    return scrape();
  };
  const atRest = await scrape();
  const rows = [];
  for (const scenario of SCENARIOS) {
    let previous = atRest;
    for (const step of scenario.steps) {
      const scraped = await phase(step.phase);
      for (const check of step.checks) {
        let reported = 'absent';
        let verdict;
        const delta = step.delta && !check.level;
        if (!(check.field in atRest) && !(check.field in scraped)) verdict = 'absent: not measured here';
        else if (!(check.field in scraped) || (delta && !(check.field in previous))) verdict = 'MISSING';
        else if (scenario.gc && !gc) [reported, verdict] = ['-', 'skipped: no forced GC here'];
        else {
          const value = delta ? scraped[check.field] - previous[check.field] : scraped[check.field];
          reported = Number.isInteger(value) ? String(value) : value.toPrecision(4);
          verdict = check.pass(value) ? 'ok' : 'OFF';
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
const counts = rows.slice(1).reduce((tally, row) => ({ ...tally, [row[5].split(':')[0]]: (tally[row[5].split(':')[0]] ?? 0) + 1 }), {});
console.log(`\n${Object.entries(counts).map(([verdict, n]) => `${n} ${verdict}`).join(', ')} (tolerances are reported, never failed on)`);
