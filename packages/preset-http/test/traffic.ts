// Known requests against a real server on loopback, for each hook's test: the app under test
// routes them to handlers that move a fake clock by known amounts, so that the render that
// follows is exact. Plain TypeScript with no test runner in it: Bun and Deno run it too.
import { renderPreset } from '@runometer/core/testing';
import { HttpPreset, HttpRecorder } from '../src/index.js';

/** One bound, above every request of the traffic: each series' buckets are its requests twice (`le=1.0`, `le=+Inf`). */
const TRAFFIC_BUCKETS = [1];

/** What each route of the app under test does, and when the driver may go on. */
export class Traffic {
  readonly recorder = new HttpRecorder();
  private clock = 1_000;
  private openGate!: () => void;
  /** What `/wait` waits for. */
  readonly gate = new Promise<void>((resolve) => (this.openGate = resolve));
  private arrived!: () => void;
  /** Settles once `/abort` has reached its handler. */
  readonly abortArrived = new Promise<void>((resolve) => (this.arrived = resolve));

  constructor() {
    this.recorder.now = () => this.clock;
    this.recorder.durationBuckets = TRAFFIC_BUCKETS;
  }

  /** Moves the clock the recorder reads by `ms`: what a handler takes. */
  advance(ms: number): void {
    this.clock += ms;
  }

  /** `/abort`'s handler calls this, then waits for its client to go away. */
  arrivedAtAbort(): void {
    this.arrived();
  }

  open(): void {
    this.openGate();
  }
}

/** The routes every app under test serves, as its framework writes them. */
export const ROUTES = {
  /** advance(2), answer 200 with JSON */
  user: '/users/:id',
  /** advance(3), read the body, answer 201 `created` */
  users: '/users',
  /** advance(1), throw: the framework answers 500 */
  boom: '/boom',
  /** advance(4), answer 200 with a body streamed in three chunks, no Content-Length */
  stream: '/stream',
  /** wait for the gate, answer 200 `done` */
  wait: '/wait',
  /** arrivedAtAbort(), then wait for the client to go away */
  abort: '/abort',
} as const;

export interface TrafficResult {
  /** The statuses of the sequential requests, in order. */
  readonly statuses: readonly number[];
  readonly streamed: string;
  /** `http_requests_in_flight` while two `/wait` requests were held. */
  readonly inFlightWhileWaiting: string;
  /** The http preset's render after all of it. */
  readonly body: string;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`gave up waiting until ${what}`);
}

async function render(recorder: HttpRecorder): Promise<string> {
  const { bodies, errors } = await renderPreset(HttpPreset, { inject: [[HttpRecorder, recorder]] });
  if (errors.length > 0) throw new Error(`the render reported ${errors.map(String).join('; ')}`);
  return bodies[0]!;
}

/** Sends the known requests to the app on `port` and renders what its hook recorded. */
export async function drive(port: number, traffic: Traffic): Promise<TrafficResult> {
  const base = `http://127.0.0.1:${port}`;
  const statuses: number[] = [];
  const send = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${base}${path}`, init);
    statuses.push(response.status);
    return response.text();
  };
  await send('/users/42');
  await send('/users/7');
  await send('/users', { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
  await send('/nope');
  await send('/boom');
  const streamed = await send('/stream');

  const waiting = [send('/wait'), send('/wait')];
  await until(() => traffic.recorder.inFlight === 2, 'two requests are in flight');
  const inFlightWhileWaiting = /http_requests_in_flight=(\d+i)/.exec(await render(traffic.recorder))?.[1] ?? 'absent';
  traffic.open();
  await Promise.all(waiting);

  const controller = new AbortController();
  const aborted = fetch(`${base}/abort`, { signal: controller.signal }).then(
    () => 'answered',
    (error: unknown) => (error as Error).name,
  );
  await traffic.abortArrived;
  controller.abort();
  if ((await aborted) !== 'AbortError') throw new Error(`/abort: the client was not aborted: ${await aborted}`);
  await until(() => traffic.recorder.inFlight === 0, 'the aborted request has ended');
  return { statuses, streamed, inFlightWhileWaiting, body: await render(traffic.recorder) };
}

/**
 * One series' lines as the preset writes it, from what the test knows of its requests: `seconds`
 * their total duration and `p` the middle of the native bucket all of them fell in (2 ms is
 * 0.00204: 2^(-72/8) to 2^(-71/8) s, 1.953 to 2.127 ms; 0 in the zero bucket), and `bytes` what is
 * known of their bodies; then its two bucket lines.
 */
export function seriesLine(
  tags: `${string} ${string} ${string}`,
  requests: number,
  seconds: number,
  p: number,
  bytes: { request?: number; response?: number } = {},
): string {
  const [method, route, statusClass] = tags.split(' ');
  const known = [
    ...(bytes.request === undefined ? [] : [`http_request_body_bytes_total=${bytes.request}i`]),
    ...(bytes.response === undefined ? [] : [`http_response_body_bytes_total=${bytes.response}i`]),
  ];
  const point = [
    `test,method=${method},route=${route},status_class=${statusClass} http_request_duration_seconds_sum=${seconds},http_request_duration_seconds_count=${requests}i,`,
    `http_request_duration_p50_seconds=${p},http_request_duration_p90_seconds=${p},http_request_duration_p99_seconds=${p},http_window_requests=${requests}i`,
    ...known.map((field) => `,${field}`),
  ].join('');
  const buckets = ['1.0', '+Inf'].map(
    (le) => `test,le=${le},method=${method},route=${route},status_class=${statusClass} http_request_duration_seconds_bucket=${requests}i`,
  );
  return [point, ...buckets].join('\n');
}

/** The preset's body: its own line (nothing in flight, `routes` routes kept), then `series`. */
export function presetBody(routes: number, series: readonly string[]): string {
  return [`test http_requests_in_flight=0i,http_routes=${routes}i,http_route_overflow_requests_total=0i`, ...series, ''].join('\n');
}
