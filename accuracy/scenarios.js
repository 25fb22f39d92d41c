// What `npm run accuracy` makes its host do, and what each scrape must then say. Each scenario
// runs its steps in order in one host process; a step's checks apply to the scrape after its
// phase, or with `delta` to the difference from the previous step's scrape (a check marked
// `level` still compares the value itself). A `timing` scenario's load is timed by the clock:
// if the machine kept the process from the CPU, its gross errors are reported, not failed.
import { worstQuantileError } from '@runometer/core/format';
import { DELAY_BUCKETS } from '@runometer/preset-threads';
import { atLeast, atMost, near, ofHistogram } from './verdict.js';

/** @typedef {import('./verdict.js').Check} Check */
/** @typedef {{ phase: string, delta?: boolean, checks: Check[] }} Step a phase of load, then the checks of the scrape after it */
/** @typedef {{ name: string, steps: Step[], timing?: boolean, gc?: boolean }} Scenario */

const MiB = 1024 * 1024;
/**
 * How far the bound of the bucket that holds a delay may be from it: the layout's worst quantile
 * error, beside the 10% the window's percentiles are allowed for the sampler's own view of a block.
 */
const DELAY_BUCKET_ERROR = worstQuantileError(DELAY_BUCKETS) + 0.1;

// Where a runtime cannot measure a field, the presets leave it out: the suite expects it absent
// there, as the field catalog says (tools/catalog.js), and present everywhere else.

/** @param {number} ms @returns {Scenario} */
const blocks = (ms) => ({
  timing: true,
  name: `event-loop delay, ${ms} ms blocks every ${ms === 200 ? 1000 : 250} ms`,
  steps: [
    {
      phase: `block${ms}`,
      checks: [
        near('eventloop_delay_max_seconds', ms / 1000, { relative: 0.1, absolute: 0.002 }),
        near('eventloop_delay_p99_seconds', ms / 1000, { relative: 0.1, absolute: 0.002 }),
        // Every sample since the start, in buckets: what the phase added holds the blocks in the right bucket.
        ofHistogram(0.99, near('eventloop_delay_seconds', ms / 1000, { relative: DELAY_BUCKET_ERROR, absolute: 0.002 })),
      ],
    },
  ],
});

/** @param {number} percent @returns {Scenario} */
const busy = (percent) => ({
  timing: true,
  name: `loop busy ${percent}% of the time`,
  steps: [
    {
      phase: `busy${percent}`,
      checks: [near('eventloop_utilization', percent / 100, { absolute: 0.05 }), near('cpu_percent', percent, { absolute: 5 })],
    },
  ],
});

/**
 * 64 MiB retained by `phase`, then released: counted in array buffers, in external memory, and
 * (being filled, so that its pages are resident) in the resident set, which also moves with
 * whatever else the runtime takes or gives back meanwhile (up to 10 MB seen on Node and Deno).
 * @param {string} phase @param {string} what @returns {Scenario}
 */
const retained64MiB = (phase, what) => {
  const checks = (/** @type {1 | -1} */ sign) => [
    near('array_buffers_bytes', sign * 64 * MiB, { relative: 0.05 }),
    near('external_bytes', sign * 64 * MiB, { relative: 0.05 }),
    near('rss_bytes', sign * 64 * MiB, { relative: 0.1 }),
  ];
  return {
    name: `memory: ${what} retained, then released`,
    steps: [
      { phase: 'baseline', checks: [] },
      { phase, delta: true, checks: checks(1) },
      { phase: 'release', delta: true, checks: checks(-1) },
    ],
  };
};

/** @type {Scenario[]} */
export const SCENARIOS = [
  {
    timing: true,
    name: 'event-loop delay, idle',
    steps: [
      {
        phase: 'idle',
        checks: [
          atMost('eventloop_delay_min_seconds', 0.001, { tolerance: 0.001 }),
          atMost('eventloop_delay_p50_seconds', 0.002, { tolerance: 0.002 }),
          ofHistogram(0.5, atMost('eventloop_delay_seconds', 0.002, { tolerance: 0.002 })),
        ],
      },
    ],
  },
  blocks(20),
  blocks(50),
  blocks(200),
  busy(25),
  busy(50),
  busy(90),
  {
    timing: true,
    name: 'CPU: a worker spinning and the main thread busy half the time, 11.5 s',
    steps: [
      { phase: 'baseline', checks: [] },
      {
        phase: 'busyTwoCores',
        delta: true,
        checks: [
          { ...near('cpu_percent', 150, { absolute: 5 }), level: true },
          near('cpu_user_seconds_total', 1.5 * 11.5, { relative: 0.1 }),
          atMost('cpu_system_seconds_total', 0.5, { tolerance: 0.5 }),
        ],
      },
    ],
  },
  retained64MiB('retainArrayBuffer', 'new ArrayBuffer(64 MiB)'),
  retained64MiB('retainBuffer', 'Buffer.alloc(64 MiB, 1)'),
  retained64MiB('retainUint8Array', 'new Uint8Array(64 MiB).fill(1)'),
  {
    name: 'memory: 32 MiB of JS heap (4 Mi doubles) retained, then released',
    steps: [
      { phase: 'baseline', checks: [] },
      { phase: 'retainNumbers', delta: true, checks: [near('heap_used_bytes', 32 * MiB, { relative: 0.05 })] },
      { phase: 'release', delta: true, checks: [near('heap_used_bytes', -32 * MiB, { relative: 0.05 })] },
    ],
  },
  {
    name: 'sockets: 5 TCP connections, a server, a UDP socket, then closed',
    steps: [
      { phase: 'baseline', checks: [] },
      {
        phase: 'openSockets',
        delta: true,
        checks: [
          near('tcp_sockets', 10),
          near('tcp_servers', 1),
          near('udp_sockets', 1),
          near('client_sockets_opened_total', 5),
          near('server_sockets_accepted_total', 5),
        ],
      },
      {
        phase: 'closeSockets',
        delta: true,
        checks: [near('tcp_sockets', -10), near('tcp_servers', -1), near('udp_sockets', -1), near('sockets_closed_total', 10)],
      },
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
      {
        phase: 'gc',
        delta: true,
        // Each forced collection is a major one, counted in the histogram; the runtime may collect more on its own meanwhile (Deno does).
        checks: [ofHistogram('count', atLeast('gc_duration_seconds{gc_kind=major}', 5))],
      },
    ],
  },
];
