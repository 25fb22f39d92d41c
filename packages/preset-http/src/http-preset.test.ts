import { toOpenMetrics, toPrometheus } from '@runometer/core';
import { assertStableFieldTypes, assertValidOpenMetrics, assertValidPrometheus, renderPreset } from '@runometer/core/testing';
import { describe, expect, test } from 'vitest';
import { HttpPreset } from './http-preset.js';
import { ABORTED_STATUS, HttpRecorder, MAX_COUNTED_BODY_BYTES } from './http-recorder.js';

/** A recorder on a clock the test moves: `at(ms)` sets it. */
function recorderAt(start = 0) {
  const recorder = new HttpRecorder();
  let clock = start;
  recorder.now = () => clock;
  return { recorder, at: (ms: number) => void (clock = ms) };
}

/** One request from `from` to `to` ms. */
function request(
  recorder: HttpRecorder,
  at: (ms: number) => void,
  from: number,
  to: number,
  route: string | undefined,
  method: string,
  status: number,
  bytes: [number, number] = [NaN, NaN],
) {
  at(from);
  const startedAt = recorder.begin();
  at(to);
  recorder.end(route, method, status, startedAt, ...bytes);
}

async function render(recorder: HttpRecorder, renders = 1) {
  return renderPreset(HttpPreset, { inject: [[HttpRecorder, recorder]], renders });
}

describe('the http preset', () => {
  test('renders a series per route template × method × status class, with counters, window percentiles and known bytes', async () => {
    const { recorder, at } = recorderAt(5_000);
    request(recorder, at, 5_000, 5_002, '/users/:id', 'GET', 200, [NaN, 120]);
    request(recorder, at, 5_010, 5_010.0625, '/users/:id', 'GET', 204, [NaN, 0]);
    request(recorder, at, 5_020, 5_022, '/users', 'POST', 201, [5, NaN]);
    request(recorder, at, 5_030, 5_031, '/users/:id', 'GET', 503);
    request(recorder, at, 5_040, 5_042, undefined, 'GET', 404, [NaN, 9]);
    request(recorder, at, 5_050, 5_052, '/users', 'PROPFIND', 200);
    request(recorder, at, 5_060, 5_062, '/users', 'POST', ABORTED_STATUS);
    at(6_000);
    const started = recorder.begin();
    const { snapshots, bodies, errors } = await render(recorder, 2);
    recorder.end('/users', 'GET', 200, started, NaN, NaN);
    expect(errors).toEqual([]);
    const window = (p: number, count: number) =>
      `http_request_duration_p50_seconds=${p},http_request_duration_p90_seconds=${p},http_request_duration_p99_seconds=${p},http_window_requests=${count}i`;
    expect(bodies[0]).toBe(
      [
        'test http_requests_in_flight=1i,http_routes=2i,http_route_overflow_requests_total=0i',
        // Two requests of 2 ms and 62.5 µs: the median is the first (rank ceil(0.5 × 2) = 1), p90 and p99 the second.
        'test,method=GET,route=/users/:id,status_class=2xx http_requests_total=2i,http_request_seconds_total=0.0020625,' +
          'http_request_duration_p50_seconds=0.000062,http_request_duration_p90_seconds=0.001984,http_request_duration_p99_seconds=0.001984,http_window_requests=2i,' +
          'http_response_body_bytes_total=120i',
        `test,method=GET,route=/users/:id,status_class=5xx http_requests_total=1i,http_request_seconds_total=0.001,${window(0.000992, 1)}`,
        `test,method=POST,route=/users,status_class=2xx http_requests_total=1i,http_request_seconds_total=0.002,${window(0.001984, 1)},http_request_body_bytes_total=5i`,
        `test,method=POST,route=/users,status_class=aborted http_requests_total=1i,http_request_seconds_total=0.002,${window(0.001984, 1)}`,
        `test,method=other,route=/users,status_class=2xx http_requests_total=1i,http_request_seconds_total=0.002,${window(0.001984, 1)}`,
        `test,method=GET,route=unmatched,status_class=4xx http_requests_total=1i,http_request_seconds_total=0.002,${window(0.001984, 1)},http_response_body_bytes_total=9i`,
        '',
      ].join('\n'),
    );
    assertStableFieldTypes(bodies);
    assertValidPrometheus(toPrometheus(snapshots));
    assertValidOpenMetrics(toOpenMetrics(snapshots));
  });

  test('percentiles describe the last 10 to 11 s: an older request counts in the counters only', async () => {
    const { recorder, at } = recorderAt();
    request(recorder, at, 1_000, 1_002, '/a', 'GET', 200);
    at(11_999);
    expect((await render(recorder)).bodies[0]).toContain('http_request_duration_p50_seconds=0.001984,');
    at(12_000);
    expect((await render(recorder)).bodies[0]).toBe(
      'test http_requests_in_flight=0i,http_routes=1i,http_route_overflow_requests_total=0i\n' +
        'test,method=GET,route=/a,status_class=2xx http_requests_total=1i,http_request_seconds_total=0.002,http_window_requests=0i\n',
    );
  });

  test('beyond the route limit, further routes count under route=other and the overflow is counted; unmatched requests never take a route', async () => {
    const { recorder, at } = recorderAt();
    recorder.routeLimit = 2;
    for (const route of ['/a', '/b', '/c', '/a', '/d', '/b', undefined, undefined, 'other', 'unmatched'])
      request(recorder, at, 0, 1, route, 'GET', 200);
    const { bodies } = await render(recorder);
    const lines = bodies[0]!.split('\n');
    expect(lines[0]).toBe('test http_requests_in_flight=0i,http_routes=2i,http_route_overflow_requests_total=2i');
    expect(lines.slice(1).map((line) => line.replace(/ .*_total=(\d+)i,.*/, ' $1'))).toEqual([
      'test,method=GET,route=/a,status_class=2xx 2',
      'test,method=GET,route=/b,status_class=2xx 2',
      // '/c' and '/d', and a route that calls itself 'other': never a second series of that name.
      'test,method=GET,route=other,status_class=2xx 3',
      'test,method=GET,route=unmatched,status_class=2xx 3',
      '',
    ]);
  });

  test('a route limit that is not a non-negative integer is refused, naming it', () => {
    const { recorder } = recorderAt();
    expect(() => (recorder.routeLimit = -1)).toThrow('routeLimit must be an integer of 0 or more, got -1');
    expect(() => (recorder.routeLimit = 1.5)).toThrow('routeLimit must be an integer of 0 or more, got 1.5');
    expect(recorder.routeLimit).toBe(100);
  });

  test('a status outside 100 to 599 counts under status_class=other, never as aborted (Node writes 600 to 999)', async () => {
    const { recorder, at } = recorderAt();
    for (const status of [600, 999, 99, -1, NaN]) request(recorder, at, 0, 1, '/a', 'GET', status);
    request(recorder, at, 0, 1, '/a', 'GET', ABORTED_STATUS);
    const { bodies } = await render(recorder);
    expect(bodies[0]!.split('\n').map((line) => line.replace(/ http_requests_total=(\d+)i,.*/, ' $1'))).toEqual([
      'test http_requests_in_flight=0i,http_routes=1i,http_route_overflow_requests_total=0i',
      'test,method=GET,route=/a,status_class=other 5',
      'test,method=GET,route=/a,status_class=aborted 1',
      '',
    ]);
  });

  test('one request adds at most MAX_COUNTED_BODY_BYTES to a byte counter, which restarts past 2^53 - 1 instead of leaving int64', async () => {
    const { recorder, at } = recorderAt();
    const huge = 2 ** 64 - 1;
    request(recorder, at, 0, 1, '/a', 'POST', 200, [huge, Infinity]);
    request(recorder, at, 0, 1, '/a', 'POST', 200, [5, 7]);
    const bytes = (body: string) => /http_request_body_bytes_total=(\d+)i,http_response_body_bytes_total=(\d+)i\n/.exec(body)?.slice(1);
    expect(bytes((await render(recorder)).bodies[0]!)).toEqual([String(2 ** 40 + 5), String(2 ** 40 + 7)]);
    // 2^53 / 2^40 = 8192 clamped requests take the counter past 2^53 - 1: it starts again from what the last one added.
    for (let i = 2; i < 8192; i++) request(recorder, at, 0, 1, '/a', 'POST', 200, [huge, NaN]);
    expect(bytes((await render(recorder)).bodies[0]!)).toEqual([String(8191 * 2 ** 40 + 5), String(2 ** 40 + 7)]);
    request(recorder, at, 0, 1, '/a', 'POST', 200, [huge, NaN]);
    expect(bytes((await render(recorder)).bodies[0]!)).toEqual([String(2 ** 40), String(2 ** 40 + 7)]);
    expect(MAX_COUNTED_BODY_BYTES).toBe(2 ** 40);
  });

  test('before any request, the preset renders its own line alone', async () => {
    const { bodies } = await render(recorderAt().recorder);
    expect(bodies[0]).toBe('test http_requests_in_flight=0i,http_routes=0i,http_route_overflow_requests_total=0i\n');
  });
});
