import { Runometer, container, type Snapshot, type SnapshotSource } from '@runometer/core';
import { afterEach, describe, expect, test } from 'vitest';
import { startTarget, type Answer, type Received, type Target } from '../test/target.js';
import { PushHealth } from './push-health.js';
import { PushPreset } from './push-preset.js';
import type { PushEncoder } from './encoder.js';
import type { PushError } from './push-error.js';
import { Pusher } from './pusher.js';
import type { PusherOptions } from './options.js';

const targets: Target[] = [];
const pushers: Pusher[] = [];

afterEach(async () => {
  await Promise.all(pushers.splice(0).map((pusher) => pusher.close()));
  await Promise.all(targets.splice(0).map((target) => target.close()));
});

async function target(answer?: (request: Received, index: number) => Answer | Promise<Answer>, port?: number): Promise<Target> {
  const started = await startTarget(answer, port);
  targets.push(started);
  return started;
}

/** A container of its own, so that each test's PushHealth starts from nothing. */
function isolated() {
  const child = container.createChildContainer();
  child.registerSingleton(PushHealth);
  return child;
}

let renders = 0;

/** A meter whose field `n` counts its renders: 1, 2, 3… (`renders` is the last). */
function counting(name = 'job') {
  renders = 0;
  return new Runometer(name).addField('n', () => ++renders, { type: 'integer' });
}

/** Renders once more without waiting for the send. */
async function renderOnce(pusher: Pusher): Promise<void> {
  const before = renders;
  void pusher.flush();
  await until(() => renders > before && pusher.stats.buffered + pusher.stats.dropped + pusher.stats.sent >= renders);
}

function pusher(source: SnapshotSource, options: PusherOptions): Pusher {
  const made = new Pusher(source, {
    interval: 60_000,
    flushOnSignals: false,
    minRetryDelay: 5,
    maxRetryDelay: 20,
    onError: () => {},
    container: isolated(),
    ...options,
  });
  pushers.push(made);
  return made;
}

/** Each line's fields and timestamp, from the bodies received. */
const linesOf = (received: readonly Received[]) => received.flatMap((one) => one.body.split('\n').filter((line) => line !== ''));
const valuesOf = (received: readonly Received[]) => linesOf(received).map((line) => Number(/ n=(\d+)i /.exec(line)?.[1]));

describe('what a Pusher sends', () => {
  test("POSTs the render's lines to InfluxDB 1.x's /write, each stamped with the time collect() resolved", async () => {
    const influx = await target();
    const before = BigInt(Date.now()) * 1_000_000n;
    pusher(counting().addTag('app', 'checkout'), { url: `${influx.origin}/`, database: 'runometer', retentionPolicy: 'weekly' }).start();
    const [request] = await influx.requests(1);
    const after = BigInt(Date.now()) * 1_000_000n;
    expect(request).toMatchObject({ method: 'POST', url: '/write?db=runometer&rp=weekly&precision=ns', gzipped: false });
    expect(request!.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(request!.headers.authorization).toBeUndefined();
    const [, timestamp] = /^job,app=checkout n=1i (\d+)\n$/.exec(request!.body) ?? [];
    expect(BigInt(timestamp!)).toBeGreaterThanOrEqual(before);
    expect(BigInt(timestamp!)).toBeLessThanOrEqual(after);
  });

  test('keeps the timestamp of a meter that stamps, and of each snapshot of a source that yields several', async () => {
    const telegraf = await target();
    const source: SnapshotSource = {
      async collect(): Promise<Snapshot[]> {
        const field = (key: string, value: number) => ({
          spec: { key, escapedKey: key, type: 'float' as const, kind: 'gauge' as const },
          value,
        });
        return [
          { measurement: 'a', timestamp: 1_700_000_000_000_000_001n, points: [{ tags: [], fields: [field('x', 1.5)] }] },
          {
            measurement: 'b',
            timestamp: 1_700_000_000_000_000_002n,
            points: [{ tags: [{ key: 'worker', value: '1' }], fields: [field('y', 2)] }],
          },
        ];
      },
    };
    pusher(source, { url: `${telegraf.origin}/telegraf` }).start();
    const [request] = await telegraf.requests(1);
    expect(request!.url).toBe('/telegraf');
    expect(request!.body).toBe('a x=1.5 1700000000000000001\nb,worker=1 y=2 1700000000000000002\n');
  });

  test('writes to InfluxDB 2.x/3.x with the token, and sends the headers it is given', async () => {
    const influx = await target();
    pusher(counting(), {
      url: `${influx.origin}/influx/`,
      org: 'acme',
      bucket: 'runometer',
      token: 's3cret',
      headers: { 'X-Team': 'ops' },
    }).start();
    const [request] = await influx.requests(1);
    expect(request!.url).toBe('/influx/api/v2/write?org=acme&bucket=runometer&precision=ns');
    expect(request!.headers.authorization).toBe('Token s3cret');
    expect(request!.headers['x-team']).toBe('ops');
  });

  test('gzips a body of gzipThreshold bytes or more, and only such a body', async () => {
    const vm = await target();
    let size = 10;
    const meter = new Runometer('big').addField('text', () => 'x'.repeat(size), { type: 'string' });
    // `big text="xxxxxxxxxx" ` and 19 digits of timestamp and a line feed: 42 bytes.
    const made = pusher(meter, { url: `${vm.origin}/write`, gzipThreshold: 43 });
    await made.flush();
    size = 11;
    await made.flush();
    const [small, large] = await vm.requests(2);
    expect(small!.gzipped).toBe(false);
    expect(small!.headers['content-encoding']).toBeUndefined();
    expect(small!.body).toMatch(/^big text="x{10}" \d{19}\n$/);
    expect(large!.gzipped).toBe(true);
    expect(large!.body).toMatch(/^big text="x{11}" \d{19}\n$/);
  });

  test('sends at most maxBatchPoints lines per request, oldest first, one request at a time', async () => {
    let answerFirst = () => {};
    const held = new Promise<Answer>((resolve) => (answerFirst = () => resolve({ status: 204 })));
    const vm = await target((_, index) => (index === 0 ? held : { status: 204 }));
    const made = pusher(counting(), { url: `${vm.origin}/write`, maxBatchPoints: 2, maxBufferPoints: 10 });
    // While the first request waits for its answer, renders 2 to 4 queue behind it.
    for (let render = 0; render < 4; render++) await renderOnce(made);
    expect(vm.received).toHaveLength(1);
    answerFirst();
    await until(() => made.stats.buffered === 0);
    expect(vm.received.map((one) => valuesOf([one]))).toEqual([[1], [2, 3], [4]]);
  });
});

describe('retries', () => {
  test('sends again after 500 and 503, in order, each point once, and counts the retries', async () => {
    const answers: Answer[] = [{ status: 500, body: 'boom' }, { status: 503 }, { status: 204 }];
    const influx = await target((_, index) => answers[index] ?? { status: 204 });
    const errors: PushError[] = [];
    const made = pusher(counting(), { url: `${influx.origin}/write`, onError: (error) => errors.push(error) });
    await made.flush();
    await made.flush();
    expect(valuesOf(influx.received)).toEqual([1, 1, 1, 2]);
    expect(errors.map((error) => [error.message, error.status, error.retried])).toEqual([
      ['500 Internal Server Error: boom', 500, true],
      ['503 Service Unavailable', 503, true],
    ]);
    expect(made.stats).toEqual({ sent: 2, dropped: 0, refused: 0, retries: 2, buffered: 0 });
  });

  test('waits at least what Retry-After asks on 429, in seconds', async () => {
    const stamps: number[] = [];
    const influx = await target((_, index) => {
      stamps.push(Date.now());
      return index === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : { status: 204 };
    });
    const made = pusher(counting(), { url: `${influx.origin}/write` });
    await made.flush();
    expect(influx.received).toHaveLength(2);
    // maxRetryDelay is 20 ms: only Retry-After can have made it wait this long.
    expect(stamps[1]! - stamps[0]!).toBeGreaterThanOrEqual(1000);
    expect(made.stats).toMatchObject({ sent: 1, retries: 1 });
  });

  test('waits at least what Retry-After asks on 503, as an HTTP date', async () => {
    const stamps: number[] = [];
    const influx = await target((_, index) => {
      stamps.push(Date.now());
      // Two seconds ahead, to the second: at least one second from now.
      return index === 0 ? { status: 503, headers: { 'Retry-After': new Date(Date.now() + 2000).toUTCString() } } : { status: 204 };
    });
    await pusher(counting(), { url: `${influx.origin}/write` }).flush();
    await influx.requests(2);
    expect(stamps[1]! - stamps[0]!).toBeGreaterThanOrEqual(1000);
  });

  // A timeout long enough that the retry's prompt answer is never cut on a loaded machine.
  test('aborts a request without an answer after timeout ms and sends it again', async () => {
    const influx = await target((_, index) => (index === 0 ? 'hang' : { status: 204 }));
    const errors: PushError[] = [];
    const made = pusher(counting(), { url: `${influx.origin}/write`, timeout: 1000, onError: (error) => errors.push(error) });
    await made.flush();
    expect(valuesOf(influx.received)).toEqual([1, 1]);
    expect(errors.map((error) => [error.failure, error.message])).toEqual([['timeout', 'no answer within 1000 ms']]);
    expect(made.stats).toEqual({ sent: 1, dropped: 0, refused: 0, retries: 1, buffered: 0 });
  });

  test('retries while nothing listens, and delivers once the target is up', async () => {
    const influx = await target();
    const url = `${influx.origin}/write`;
    await influx.close();
    targets.splice(0);
    const errors: PushError[] = [];
    const made = pusher(counting(), { url, onError: (error) => errors.push(error) });
    const flushed = made.flush();
    await until(() => errors.length >= 2);
    expect(errors[0]!.failure).toBe('network');
    expect(made.stats.lastError).toBe(errors.at(-1)!.message);
    const back = await target(undefined, Number(new URL(url).port));
    await flushed;
    expect(valuesOf(back.received)).toEqual([1]);
    expect(made.stats).toMatchObject({ sent: 1, dropped: 0, buffered: 0 });
    expect(made.stats.lastError).toBeUndefined();
  });
});

describe('answers that retrying would not change', () => {
  test('401: the points are dropped and counted, not sent again', async () => {
    const influx = await target(() => ({ status: 401, body: '{"error":"authorization failed"}' }));
    const errors: PushError[] = [];
    const made = pusher(counting(), { url: `${influx.origin}/write`, onError: (error) => errors.push(error) });
    await made.flush();
    await made.flush();
    expect(valuesOf(influx.received)).toEqual([1, 2]);
    expect(errors.map((error) => [error.status, error.retried, error.message])).toEqual([
      [401, false, '401 Unauthorized: {"error":"authorization failed"} (points dropped: retrying would not change this answer)'],
      [401, false, '401 Unauthorized: {"error":"authorization failed"} (points dropped: retrying would not change this answer)'],
    ]);
    expect(made.stats).toEqual({ sent: 0, dropped: 2, refused: 0, retries: 0, buffered: 0, lastError: errors[0]!.message });
  });

  test('a redirect: dropped, with where it points, since following it would turn the POST into a GET', async () => {
    const influx = await target(() => ({ status: 301, headers: { Location: 'https://influx.example/write' } }));
    const errors: PushError[] = [];
    const made = pusher(counting(), { url: `${influx.origin}/write`, onError: (error) => errors.push(error) });
    await made.flush();
    expect(influx.received).toHaveLength(1);
    expect(errors.map((error) => error.message)).toEqual([
      '301 Moved Permanently: the target redirects to https://influx.example/write; give that as url (points dropped)',
    ]);
    expect(made.stats).toMatchObject({ sent: 0, dropped: 1, retries: 0 });
  });

  test('a long answer is cut to 500 characters in the message', async () => {
    const influx = await target(() => ({ status: 403, body: 'x'.repeat(2000) }));
    const errors: PushError[] = [];
    await pusher(counting(), { url: `${influx.origin}/write`, onError: (error) => errors.push(error) }).flush();
    expect(errors[0]!.message).toBe(`403 Forbidden: ${'x'.repeat(500)}… (points dropped: retrying would not change this answer)`);
  });

  test('an answer whose body never ends: read up to what its message shows, then the request ends', async () => {
    const influx = await target(() => ({ status: 403, body: 'x'.repeat(100_000), endless: true }));
    const errors: PushError[] = [];
    await pusher(counting(), { url: `${influx.origin}/write`, timeout: 60_000, onError: (error) => errors.push(error) }).flush();
    expect(errors.map((error) => error.message)).toEqual([
      `403 Forbidden: ${'x'.repeat(500)}… (points dropped: retrying would not change this answer)`,
    ]);
  });

  test('400 partial write: reports the refused lines, counts them, sends the rest as written and nothing again', async () => {
    const influx = await target((request, index) => {
      if (index > 0) return { status: 204 };
      expect(request.body.split('\n').length).toBe(4);
      const error =
        'partial write: field type conflict: input field "n" on measurement "odd" is type integer, already exists as type float dropped=1';
      return { status: 400, body: JSON.stringify({ error }) };
    });
    const errors: PushError[] = [];
    const meter = new Runometer('job').addSeries('rows', () => [{ tags: {}, fields: { n: 1 } }], { fields: { n: { type: 'integer' } } });
    const source: SnapshotSource = {
      async collect() {
        const snapshot = await meter.collect();
        return [
          { ...snapshot, measurement: 'odd' },
          { ...snapshot, measurement: 'other' },
          { ...snapshot, measurement: 'third' },
        ];
      },
    };
    const made = pusher(source, { url: `${influx.origin}/write`, onError: (error) => errors.push(error) });
    await made.flush();
    expect(influx.received).toHaveLength(1);
    const [error] = errors;
    expect(error).toMatchObject({ failure: 'refused', status: 400, retried: false, refusedCount: 1 });
    expect(error!.refusedLines).toEqual([expect.stringMatching(/^odd n=1i \d+$/)]);
    expect(error!.message).toBe(
      '400 Bad Request: partial write: field type conflict: input field "n" on measurement "odd" is type integer, already exists as type float dropped=1 (1 of 3 points refused, not sent again)',
    );
    expect(made.stats).toEqual({ sent: 2, dropped: 0, refused: 1, retries: 0, buffered: 0, lastError: error!.message });
    await made.flush();
    expect(influx.received).toHaveLength(2);
    expect(made.stats.lastError).toBeUndefined();
  });
});

describe('another encoder', () => {
  type JsonPoint = { name: string; value: number };
  /** The batch's last N points, for an answer `{"rejected":N}`. */
  const rejected = (answer: string, batch: readonly JsonPoint[]) => {
    const count = Math.min(Number(JSON.parse(answer).rejected ?? 0), batch.length);
    return { message: answer, count, lines: batch.slice(batch.length - count).map((point) => JSON.stringify(point)) };
  };
  /** As small as an encoder can be: a point for each field, a batch as a JSON array; a refusal, whole or in a success, answers `{"rejected":N}`. */
  const jsonEncoder: PushEncoder<JsonPoint> = {
    contentType: 'application/json',
    points: (snapshots) =>
      snapshots.flatMap(({ measurement, points }) =>
        points.flatMap(({ fields }) => fields.map(({ spec, value }) => ({ name: `${measurement}.${spec.key}`, value: Number(value) }))),
      ),
    body: (batch) => new TextEncoder().encode(JSON.stringify(batch)),
    refusal: (answer, batch) => rejected(answer.text, batch),
    partialRefusal: (answer, batch) => (answer.text === '' ? undefined : rejected(answer.text, batch)),
  };

  test("its points and bodies go through the pusher's retries and refusals, counted as its points", async () => {
    const answers: Answer[] = [{ status: 503 }, { status: 400, body: '{"rejected":1}' }, { status: 200, body: '{"rejected":1}' }];
    const collector = await target((_, index) => answers[index] ?? { status: 204 });
    const errors: PushError[] = [];
    const meter = counting().addField('twice', () => renders * 2, { type: 'integer' });
    const made = pusher(meter, { url: `${collector.origin}/v1/metrics`, encoder: jsonEncoder, onError: (error) => errors.push(error) });
    await made.flush();
    await made.flush();
    await made.flush();
    expect(collector.received.map((request) => [request.headers['content-type'], JSON.parse(request.body)])).toEqual([
      [
        'application/json',
        [
          { name: 'job.n', value: 1 },
          { name: 'job.twice', value: 2 },
        ],
      ],
      [
        'application/json',
        [
          { name: 'job.n', value: 1 },
          { name: 'job.twice', value: 2 },
        ],
      ],
      [
        'application/json',
        [
          { name: 'job.n', value: 2 },
          { name: 'job.twice', value: 4 },
        ],
      ],
      [
        'application/json',
        [
          { name: 'job.n', value: 3 },
          { name: 'job.twice', value: 6 },
        ],
      ],
    ]);
    expect(errors.map((error) => [error.message, error.retried, error.refusedLines])).toEqual([
      ['503 Service Unavailable', true, undefined],
      ['400 Bad Request: {"rejected":1} (1 of 2 points refused, not sent again)', false, ['{"name":"job.twice","value":2}']],
      ['200 OK: {"rejected":1} (1 of 2 points refused, not sent again)', false, ['{"name":"job.twice","value":4}']],
    ]);
    expect(made.stats).toMatchObject({ sent: 4, dropped: 0, refused: 2, retries: 1, buffered: 0 });
  });

  test('one that cannot encode a render fails that render, as a failed collect does', async () => {
    const collector = await target();
    const errors: PushError[] = [];
    const failing: PushEncoder = {
      ...jsonEncoder,
      points: () => {
        throw new Error('no such metric kind');
      },
    };
    const made = pusher(counting(), { url: `${collector.origin}/v1/metrics`, encoder: failing, onError: (error) => errors.push(error) });
    await made.flush();
    expect(errors.map((error) => [error.failure, error.message])).toEqual([['render', 'render failed: no such metric kind']]);
    expect([collector.received, made.stats]).toEqual([[], { sent: 0, dropped: 0, refused: 0, retries: 0, buffered: 0 }]);
  });
});

describe('failures reported', () => {
  test('by default, one console warning per distinct error, not one per retry', async () => {
    const answers: Answer[] = [{ status: 503, body: 'busy 1' }, { status: 503, body: 'busy 2' }, { status: 500 }];
    const influx = await target((_, index) => answers[index] ?? { status: 204 });
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      await pusher(counting(), { url: `${influx.origin}/write`, onError: undefined }).flush();
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([
      [`runometer push to ${influx.origin}: 503 Service Unavailable: busy 1 (warned once; set onError to see every failure)`],
      [`runometer push to ${influx.origin}: 500 Internal Server Error (warned once; set onError to see every failure)`],
    ]);
  });

  test('a render that fails is reported, and the next one is pushed', async () => {
    const influx = await target();
    let renders = 0;
    const meter = counting();
    const source: SnapshotSource = {
      collect: () => (++renders === 1 ? Promise.reject(new Error('meter "job" is closed')) : meter.collect()),
    };
    const errors: PushError[] = [];
    const made = pusher(source, { url: `${influx.origin}/write`, onError: (error) => errors.push(error) });
    await made.flush();
    await made.flush();
    expect(errors.map((error) => [error.failure, error.message])).toEqual([['render', 'render failed: meter "job" is closed']]);
    expect(valuesOf(influx.received)).toEqual([1]);
  });

  test('an onError that throws stops nothing', async () => {
    const influx = await target((_, index) => (index === 0 ? { status: 500 } : { status: 204 }));
    const made = pusher(counting(), {
      url: `${influx.origin}/write`,
      onError: () => {
        throw new Error('broken handler');
      },
    });
    await made.flush();
    expect(made.stats).toMatchObject({ sent: 1, retries: 1 });
  });
});

describe('the buffer', () => {
  test('keeps the newest maxBufferPoints while the target fails, drops and counts the oldest, then sends each kept point once, in order', async () => {
    let up = false;
    const accepted: Received[] = [];
    const influx = await target((request) => {
      if (!up) return { status: 503 };
      accepted.push(request);
      return { status: 204 };
    });
    const made = pusher(counting(), { url: `${influx.origin}/write`, maxBufferPoints: 4, maxBatchPoints: 2 });
    for (let render = 0; render < 10; render++) await renderOnce(made);
    await until(() => made.stats.dropped === 6);
    expect(made.stats.buffered).toBe(4);
    up = true;
    await until(() => made.stats.buffered === 0);
    expect(accepted.map((one) => valuesOf([one]))).toEqual([
      [7, 8],
      [9, 10],
    ]);
    expect(made.stats).toMatchObject({ sent: 4, dropped: 6, refused: 0 });
  });
});

describe('close()', () => {
  test('renders a last time and sends everything buffered', async () => {
    const influx = await target();
    const made = pusher(counting(), { url: `${influx.origin}/write` }).start();
    await influx.requests(1);
    await made.close();
    expect(valuesOf(influx.received)).toEqual([1, 2]);
    expect(made.stats).toEqual({ sent: 2, dropped: 0, refused: 0, retries: 0, buffered: 0 });
    expect(made.close()).toBe(made.close());
    expect(() => made.start()).toThrow('Pusher is closed: make a new one');
    await expect(made.flush()).rejects.toThrow('Pusher is closed: make a new one');
  });

  test('await using closes it at the end of the block', async () => {
    const influx = await target();
    let closed: Pusher;
    {
      await using made = pusher(counting(), { url: `${influx.origin}/write` }).start();
      closed = made;
      await influx.requests(1);
    }
    expect(valuesOf(influx.received)).toEqual([1, 2]);
    expect(() => closed.start()).toThrow('Pusher is closed: make a new one');
  });

  test('ends at closeTimeout with the target hanging, and counts what it could not send as dropped', async () => {
    const influx = await target(() => 'hang');
    const made = pusher(counting(), { url: `${influx.origin}/write`, closeTimeout: 200, timeout: 60_000 }).start();
    await influx.requests(1);
    await made.close();
    expect(made.stats).toEqual({
      sent: 0,
      dropped: 2,
      refused: 0,
      retries: 0,
      buffered: 0,
      lastError: 'close() gave up after 200 ms: 2 points not sent, dropped',
    });
  });

  test('ends at closeTimeout with a render that never resolves', async () => {
    const influx = await target();
    const made = pusher({ collect: () => new Promise<never>(() => {}) }, { url: `${influx.origin}/write`, closeTimeout: 100 }).start();
    await made.close();
    expect(influx.received).toEqual([]);
  });
});

describe('health', () => {
  test('PushPreset renders the counters of the pushers that record into its container', async () => {
    let fail = true;
    // An hour's Retry-After: the retry waits until close() wakes it.
    const influx = await target(() => (fail ? { status: 503, headers: { 'Retry-After': '3600' } } : { status: 204 }));
    const health = isolated();
    const meter = new Runometer('app', { container: health }).use(PushPreset);
    const made = pusher(meter, { url: `${influx.origin}/write`, container: health });
    void made.flush();
    await influx.requests(1);
    await until(() => made.stats.lastError !== undefined);
    expect(await meter.render()).toBe(
      'app push_points_sent_total=0i,push_points_dropped_total=0i,push_points_refused_total=0i,push_retries_total=0i,push_buffered_points=1i,push_last_error="503 Service Unavailable"\n',
    );
    fail = false;
    await made.close();
    expect(await meter.render()).toBe(
      'app push_points_sent_total=2i,push_points_dropped_total=0i,push_points_refused_total=0i,push_retries_total=1i,push_buffered_points=0i\n',
    );
  });
});

/** Resolves once `condition()` holds, checking every 5 ms for at most 10 s. */
async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 2000; tries++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`condition never held: ${condition}`);
}
