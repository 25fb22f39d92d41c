import { toOpenMetrics, toPrometheus } from '@runometer/core';
import { assertStableFieldTypes, assertValidOpenMetrics, assertValidPrometheus, renderPreset } from '@runometer/core/testing';
import { describe, expect, test } from 'vitest';
import { HttpPreset } from './http-preset.js';
import { ABORTED_STATUS, DURATION_BUCKETS, HttpRecorder, MAX_COUNTED_BODY_BYTES } from './http-recorder.js';

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

/**
 * A series' lines under the layout [0.001, 0.002]: its point's line, with `sum` and the count of
 * its durations first, then `rest`; and a line per bucket with `cumulative` counts (the last, +Inf, is the count).
 */
function seriesLines(tags: string, sum: number, cumulative: [number, number, number], rest: string): string[] {
  const count = cumulative[2];
  return [
    `test,${tags} http_request_duration_seconds_sum=${sum},http_request_duration_seconds_count=${count}i,${rest}`,
    ...['0.001', '0.002', '+Inf'].map(
      (le, i) => `test,${tags.replace(/^method=(\w+),/, `le=${le},method=$1,`)} http_request_duration_seconds_bucket=${cumulative[i]}i`,
    ),
  ];
}

/** A body's lines without the bucket lines. */
const pointLines = (body: string) => body.split('\n').filter((line) => !line.includes(',le='));
/** A series' line as its tags and its requests, the count of its durations. */
const requestCount = (line: string) => line.replace(/ .*_count=(\d+)i,.*/, ' $1');

describe('the http preset', () => {
  test('renders a series per route template × method × status class: a histogram of durations, window percentiles and known bytes', async () => {
    const { recorder, at } = recorderAt(5_000);
    recorder.durationBuckets = [0.001, 0.002];
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
        ...seriesLines(
          'method=GET,route=/users/:id,status_class=2xx',
          0.0020625,
          [1, 2, 2],
          'http_request_duration_p50_seconds=0.00006374,http_request_duration_p90_seconds=0.00204,http_request_duration_p99_seconds=0.00204,http_window_requests=2i,' +
            'http_response_body_bytes_total=120i',
        ),
        ...seriesLines('method=GET,route=/users/:id,status_class=5xx', 0.001, [1, 1, 1], window(0.00102, 1)),
        ...seriesLines(
          'method=POST,route=/users,status_class=2xx',
          0.002,
          [0, 1, 1],
          `${window(0.00204, 1)},http_request_body_bytes_total=5i`,
        ),
        ...seriesLines('method=POST,route=/users,status_class=aborted', 0.002, [0, 1, 1], window(0.00204, 1)),
        ...seriesLines('method=other,route=/users,status_class=2xx', 0.002, [0, 1, 1], window(0.00204, 1)),
        ...seriesLines(
          'method=GET,route=unmatched,status_class=4xx',
          0.002,
          [0, 1, 1],
          `${window(0.00204, 1)},http_response_body_bytes_total=9i`,
        ),
        '',
      ].join('\n'),
    );
    assertStableFieldTypes(bodies);
    assertValidPrometheus(toPrometheus(snapshots));
    assertValidOpenMetrics(toOpenMetrics(snapshots));
    expect(toPrometheus(snapshots[0]!)).toContain(
      '# TYPE test_http_request_duration_seconds histogram\n' +
        'test_http_request_duration_seconds_bucket{method="GET",route="/users/:id",status_class="2xx",le="0.001"} 1\n',
    );
  });

  test('the layout is DURATION_BUCKETS until an app sets another; it cannot change once a meter uses the preset or a request was recorded', async () => {
    const { recorder, at } = recorderAt();
    expect(recorder.durationBuckets).toEqual(DURATION_BUCKETS);
    expect(() => (recorder.durationBuckets = [0.5, 0.1])).toThrow(
      'HttpRecorder.durationBuckets has bucket bounds 0.5 then 0.1 at index 1; bounds must be strictly increasing',
    );
    recorder.durationBuckets = [0.5];
    request(recorder, at, 0, 2, '/a', 'GET', 200);
    expect(() => (recorder.durationBuckets = [1])).toThrow(
      'HttpRecorder.durationBuckets cannot change once a request was recorded: counts of one layout cannot be written under another; set it before that',
    );
    expect((await render(recorder)).bodies[0]).toContain(
      'test,le=0.5,method=GET,route=/a,status_class=2xx http_request_duration_seconds_bucket=1i\n',
    );
    const unused = recorderAt().recorder;
    await render(unused);
    expect(() => (unused.durationBuckets = [1])).toThrow('HttpRecorder.durationBuckets cannot change once a meter uses the http preset');
  });

  test('a warm series records into the same histogram and window, and gives the same snapshot until its next request', () => {
    const { recorder, at } = recorderAt();
    request(recorder, at, 0, 2, '/a', 'GET', 200);
    const { series } = recorder.read()[0]!;
    const { durations, window } = series;
    const before = durations.snapshot();
    expect(durations.snapshot()).toBe(before);
    request(recorder, at, 10, 13, '/a', 'GET', 200);
    expect(series.durations).toBe(durations);
    expect(series.window).toBe(window);
    expect(durations.snapshot().sum).toBe(0.005);
  });

  test('percentiles describe the last 10 to 11 s: an older request counts in the histogram only', async () => {
    const { recorder, at } = recorderAt();
    recorder.durationBuckets = [0.001];
    request(recorder, at, 1_000, 1_002, '/a', 'GET', 200);
    at(11_999);
    expect((await render(recorder)).bodies[0]).toContain('http_request_duration_p50_seconds=0.00204,');
    at(12_000);
    expect((await render(recorder)).bodies[0]).toBe(
      'test http_requests_in_flight=0i,http_routes=1i,http_route_overflow_requests_total=0i\n' +
        'test,method=GET,route=/a,status_class=2xx http_request_duration_seconds_sum=0.002,http_request_duration_seconds_count=1i,http_window_requests=0i\n' +
        'test,le=0.001,method=GET,route=/a,status_class=2xx http_request_duration_seconds_bucket=0i\n' +
        'test,le=+Inf,method=GET,route=/a,status_class=2xx http_request_duration_seconds_bucket=1i\n',
    );
  });

  test('beyond the route limit, further routes count under route=other and the overflow is counted; unmatched requests never take a route', async () => {
    const { recorder, at } = recorderAt();
    recorder.routeLimit = 2;
    for (const route of ['/a', '/b', '/c', '/a', '/d', '/b', undefined, undefined, 'other', 'unmatched'])
      request(recorder, at, 0, 1, route, 'GET', 200);
    const { bodies } = await render(recorder);
    const lines = pointLines(bodies[0]!);
    expect(lines[0]).toBe('test http_requests_in_flight=0i,http_routes=2i,http_route_overflow_requests_total=2i');
    expect(lines.slice(1).map(requestCount)).toEqual([
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
    expect(pointLines(bodies[0]!).map(requestCount)).toEqual([
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
