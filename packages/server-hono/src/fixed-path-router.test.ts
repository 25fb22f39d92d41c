import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { endpointApp } from './fixed-path-router.js';

/** The same routes on the default Hono and on endpointApp(), and what each answers at `paths`. */
async function answers(routes: (app: Hono) => Hono, paths: readonly string[], method = 'GET') {
  const answer = async (app: Hono) =>
    Promise.all(
      paths.map(
        async (path) => `${path} ${(await app.request(path, { method })).status} ${await (await app.request(path, { method })).text()}`,
      ),
    );
  return { default: await answer(routes(new Hono())), fixed: await answer(routes(endpointApp())) };
}

describe('endpointApp', () => {
  test('matches fixed paths exactly, as the default router does: a trailing slash is another path', async () => {
    const routes = (app: Hono) =>
      app
        .all('/', (c) => c.text('root'))
        .all('/metrics', (c) => c.text('metrics'))
        .all('/metrics/', (c) => c.text('slash'))
        .get('/only-get', (c) => c.text('get'));
    const { default: expected, fixed } = await answers(routes, ['/', '/metrics', '/metrics/', '//', '/metrics//', '/other', '/only-get']);
    expect(fixed).toEqual(expected);
    const posted = await answers(routes, ['/', '/only-get'], 'POST');
    expect(posted.fixed).toEqual(posted.default);
  });

  test('matches * and /* as every path, and other patterns as routes of their own, in the order they were added', async () => {
    const routes = (app: Hono) =>
      app
        .use('*', async (c, next) => {
          await next();
          c.header('X-Seen', 'yes');
        })
        .get('/items/:id', (c) => c.text(`item ${c.req.param('id')}`))
        .get('/files/*', (c) => c.text('files'))
        .all('/*', (c) => c.text(`any ${c.req.path}`));
    const { default: expected, fixed } = await answers(routes, ['/', '/items/7', '/files/a/b', '/x/y']);
    expect(fixed).toEqual(expected);
    expect((await routes(endpointApp()).request('/items/7')).headers.get('x-seen')).toBe('yes');
  });
});
