import { Runometer } from '@runometer/core';
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { createApp } from './app.js';
import type { MetricsAuth } from './auth.js';
import { metrics } from './metrics.js';

const meter = () => new Runometer('app').addField('up', () => 1, { type: 'integer' });
const basic = (user: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`,
});

describe('auth that no client could satisfy is refused when the app is made', () => {
  test.each([
    ['s3cret token', 'auth.token has a space'],
    ['tab\there', 'auth.token has a control character (U+0009)'],
    ['pässword', 'auth.token has a non-ASCII character (U+00E4)'],
    ['abc"def', 'auth.token has """'],
    ['abc,def', 'auth.token has ","'],
    ['a=b', 'auth.token has "=" before its end (only trailing "=" padding is allowed)'],
    ['==', 'auth.token has "=" before its end (only trailing "=" padding is allowed)'],
  ])('bearer token %j', (token, problem) => {
    expect(() => createApp(meter(), { auth: { token } })).toThrow(
      new TypeError(
        `${problem}: a bearer token is letters, digits and -._~+/ with optional trailing "=" (RFC 6750), or no header can carry it`,
      ),
    );
  });

  test.each([
    [
      { username: 'tele:graf', password: 'pw' },
      'auth.username has ":": basic auth sends "username:password", so no client can send this username',
    ],
    [
      { username: 'tele\ngraf', password: 'pw' },
      'auth.username has a control character (U+000A): no basic-auth client can send it (RFC 7617)',
    ],
    [
      { username: 'telegraf', password: 'p\rw' },
      'auth.password has a control character (U+000D): no basic-auth client can send it (RFC 7617)',
    ],
    [
      { username: 'telegraf', password: 'p\u2028w' },
      'auth.password has a non-ASCII character (U+2028): no basic-auth client can send it (RFC 7617)',
    ],
    [
      { username: 'telegraf', password: 'p\uD800w' },
      'auth.password has an unpaired surrogate, which UTF-8 cannot carry: no basic-auth client can send it (RFC 7617)',
    ],
    [{ username: '', password: 'x' }, 'auth must be { token } or { username, password } with a non-empty username'],
    [{ token: '' }, 'auth.token must be a non-empty string'],
    [{ token: 42 }, 'auth.token must be a non-empty string'],
    [null, 'auth must be { token } or { username, password }'],
  ])('%j', (auth, message) => {
    expect(() => createApp(meter(), { auth: auth as unknown as MetricsAuth })).toThrow(new TypeError(message));
  });
});

describe('auth that a client can satisfy', () => {
  test.each(['s3cret', 'abc-._~+/XYZ09==', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'])(
    'bearer token %j is answered, a wrong one refused',
    async (token) => {
      const app = createApp(meter(), { auth: { token } });
      expect((await app.request('/', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
      expect((await app.request('/', { headers: { Authorization: `Bearer x${token}` } })).status).toBe(401);
    },
  );

  test('a basic-auth username and password beyond ASCII travel as UTF-8', async () => {
    const app = createApp(meter(), { auth: { username: 'téléGraf', password: 'pässwörd 🔑' } });
    expect((await app.request('/', { headers: basic('téléGraf', 'pässwörd 🔑') })).status).toBe(200);
    expect((await app.request('/', { headers: basic('téléGraf', 'passwort') })).status).toBe(401);
  });

  test.each([
    [undefined, 401, 'Bearer realm=""'],
    ['Bearer wrong', 401, 'Bearer error="invalid_token"'],
    ['Bearer not a token', 400, 'Bearer error="invalid_request"'],
  ])(
    'a bearer token app answers %s with %i and WWW-Authenticate %s, even inside an app whose onError answers 500',
    async (authorization, status, challenge) => {
      const app = new Hono().use('/metrics', metrics(meter(), { auth: { token: 's3cret' } })).onError((_, c) => c.text('oops', 500));
      const response = await app.request('/metrics', { headers: authorization ? { Authorization: authorization } : {} });
      expect(response.status).toBe(status);
      expect(response.headers.get('www-authenticate')).toBe(challenge);
    },
  );
});

describe('with auth set, a stranger learns nothing: credentials are checked before the method and the path', () => {
  const TOKEN = { Authorization: 'Bearer s3cret' };
  const guarded = () => createApp(meter(), { auth: { token: 's3cret' } });
  const answer = async (app: Hono, path: string, method: string, headers: Record<string, string> = {}) => {
    const response = await app.request(path, { method, headers });
    return [method, path, response.status, response.headers.get('www-authenticate'), response.headers.get('allow')];
  };

  test.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(
    '%s without credentials gets 401 and its challenge, not 405 and Allow',
    async (method) => {
      const app = guarded();
      expect(await answer(app, '/metrics', method)).toEqual([method, '/metrics', 401, 'Bearer realm=""', null]);
      expect(await answer(app, '/view', method)).toEqual([method, '/view', 401, 'Bearer realm=""', null]);
      expect(await answer(app, '/metrics', method, TOKEN)).toEqual([method, '/metrics', 405, null, 'GET, HEAD']);
    },
  );

  test.each(['GET', 'HEAD', 'POST', 'OPTIONS'])(
    '%s of a path the app does not serve gets 401 without credentials, 404 with them',
    async (method) => {
      const app = guarded();
      expect(await answer(app, '/nowhere', method)).toEqual([method, '/nowhere', 401, 'Bearer realm=""', null]);
      expect(await answer(app, '/metrics/view/x', method)).toEqual([method, '/metrics/view/x', 401, 'Bearer realm=""', null]);
      expect(await answer(app, '/nowhere', method, TOKEN)).toEqual([method, '/nowhere', 404, null, null]);
    },
  );

  test('basic auth too: the same 401 and challenge for every path and method', async () => {
    const app = createApp(meter(), { auth: { username: 'ops', password: 'pw' } });
    const answers = await Promise.all([
      answer(app, '/', 'GET'),
      answer(app, '/', 'DELETE'),
      answer(app, '/nowhere', 'GET'),
      answer(app, '/nowhere', 'HEAD'),
      answer(app, '/', 'OPTIONS', basic('ops', 'pw')),
      answer(app, '/nowhere', 'GET', basic('ops', 'pw')),
    ]);
    expect(answers.map(([, , status, challenge]) => [status, challenge])).toEqual([
      [401, 'Basic realm="Secure Area"'],
      [401, 'Basic realm="Secure Area"'],
      [401, 'Basic realm="Secure Area"'],
      [401, 'Basic realm="Secure Area"'],
      [405, null],
      [404, null],
    ]);
  });

  test('a 401 for HEAD has the headers a GET gets, and no body', async () => {
    const app = guarded();
    const [get, head] = await Promise.all([app.request('/nowhere'), app.request('/nowhere', { method: 'HEAD' })]);
    const all = (headers: Headers) => {
      const pairs: Record<string, string> = {};
      headers.forEach((value, name) => (pairs[name] = value));
      return pairs;
    };
    expect([head.status, all(head.headers), await head.text()]).toEqual([get.status, all(get.headers), '']);
  });

  test('without auth, 405 and 404 are answered as before', async () => {
    const app = createApp(meter());
    expect([(await app.request('/', { method: 'POST' })).status, (await app.request('/nowhere')).status]).toEqual([405, 404]);
  });

  test("routed into an app of your own, createApp's 404 is not: the app's own routes and 404 answer as they did", async () => {
    const app = new Hono().get('/home', (c) => c.text('home')).route('/', createApp(meter(), { auth: { token: 's3cret' } }));
    const [home, nowhere] = await Promise.all([app.request('/home'), app.request('/nowhere')]);
    expect([home.status, await home.text(), nowhere.status, await nowhere.text()]).toEqual([200, 'home', 404, '404 Not Found']);
    expect((await app.request('/metrics', { method: 'POST' })).status).toBe(401);
  });
});
