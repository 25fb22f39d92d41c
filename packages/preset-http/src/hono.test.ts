import { Hono } from 'hono';
import { expect, test } from 'vitest';
import { HttpRecorder } from './http-recorder.js';
import { honoHttpMetrics } from './hono.js';

/** Each series with its requests, the count of its durations. */
function recorded(recorder: HttpRecorder) {
  const requests = ({ counts }: { counts: ArrayLike<number> }) => Array.from(counts).reduce((sum, n) => sum + n, 0);
  return recorder
    .read()
    .map(({ series }) => `${series.method} ${series.route} ${series.statusClass} ${requests(series.durations.snapshot())}`);
}

test("a handler's own 404 stays under its route; only a request no route matched is unmatched", async () => {
  const recorder = new HttpRecorder();
  const app = new Hono()
    .use(honoHttpMetrics({ recorder }))
    .use('/items/*', async (_c, next) => next())
    .get('/items/:id', (c) => c.text('no such item', 404));
  expect((await app.request('/items/1')).status).toBe(404);
  expect((await app.request('/items')).status).toBe(404);
  expect((await app.request('/elsewhere')).status).toBe(404);
  expect(recorded(recorder)).toEqual(['GET /items/:id 4xx 1', 'GET unmatched 4xx 2']);
});

test('a throw that no error handler answers (not an Error) counts as a 500 and goes on', async () => {
  const recorder = new HttpRecorder();
  const app = new Hono().use(honoHttpMetrics({ recorder })).get('/odd', () => {
    throw 'not an error';
  });
  await expect(app.request('/odd')).rejects.toBe('not an error');
  expect(recorded(recorder)).toEqual(['GET /odd 5xx 1']);
  expect(recorder.inFlight).toBe(0);
});

test("unless given one, the middleware records into core's container's recorder, which a child container (a meter's own) resolves too", async () => {
  const { container } = await import('@runometer/core');
  const child = container.createChildContainer();
  const recorder = child.resolve(HttpRecorder);
  expect(recorder).toBe(container.resolve(HttpRecorder));
  const before = recorder.read().length;
  await new Hono()
    .use(honoHttpMetrics())
    .get('/container', (c) => c.text('ok'))
    .request('/container');
  expect(recorder.read().length).toBe(before + 1);
});
