import { Runometer } from '@runometer/core';
import { Hono } from 'hono';
import { describe, expect, test } from 'vitest';
import { createApp } from './app.js';
import type { MetricsAuth } from './auth.js';
import { metrics } from './metrics.js';

const meter = () => new Runometer('app').addField('up', () => 1, { type: 'integer' });
const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}` });

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
      new TypeError(`${problem}: a bearer token is letters, digits and -._~+/ with optional trailing "=" (RFC 6750), or no header can carry it`),
    );
  });

  test.each([
    [{ username: 'tele:graf', password: 'pw' }, 'auth.username has ":": basic auth sends "username:password", so no client can send this username'],
    [{ username: 'tele\ngraf', password: 'pw' }, 'auth.username has a control character (U+000A): no basic-auth client can send it (RFC 7617)'],
    [{ username: 'telegraf', password: 'p\rw' }, 'auth.password has a control character (U+000D): no basic-auth client can send it (RFC 7617)'],
    [{ username: 'telegraf', password: 'p\u2028w' }, 'auth.password has a non-ASCII character (U+2028): no basic-auth client can send it (RFC 7617)'],
    [{ username: 'telegraf', password: 'p\uD800w' }, 'auth.password has an unpaired surrogate, which UTF-8 cannot carry: no basic-auth client can send it (RFC 7617)'],
    [{ username: '', password: 'x' }, 'auth must be { token } or { username, password } with a non-empty username'],
    [{ token: '' }, 'auth.token must be a non-empty string'],
    [{ token: 42 }, 'auth.token must be a non-empty string'],
    [null, 'auth must be { token } or { username, password }'],
  ])('%j', (auth, message) => {
    expect(() => createApp(meter(), { auth: auth as unknown as MetricsAuth })).toThrow(new TypeError(message));
  });
});

describe('auth that a client can satisfy', () => {
  test.each(['s3cret', 'abc-._~+/XYZ09==', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'])('bearer token %j is answered, a wrong one refused', async (token) => {
    const app = createApp(meter(), { auth: { token } });
    expect((await app.request('/', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await app.request('/', { headers: { Authorization: `Bearer x${token}` } })).status).toBe(401);
  });

  test('a basic-auth username and password beyond ASCII travel as UTF-8', async () => {
    const app = createApp(meter(), { auth: { username: 'téléGraf', password: 'pässwörd 🔑' } });
    expect((await app.request('/', { headers: basic('téléGraf', 'pässwörd 🔑') })).status).toBe(200);
    expect((await app.request('/', { headers: basic('téléGraf', 'passwort') })).status).toBe(401);
  });

  test.each([
    [undefined, 401, 'Bearer realm=""'],
    ['Bearer wrong', 401, 'Bearer error="invalid_token"'],
    ['Bearer not a token', 400, 'Bearer error="invalid_request"'],
  ])('a bearer token app answers %s with %i and WWW-Authenticate %s, even inside an app whose onError answers 500', async (authorization, status, challenge) => {
    const app = new Hono().use('/metrics', metrics(meter(), { auth: { token: 's3cret' } })).onError((_, c) => c.text('oops', 500));
    const response = await app.request('/metrics', { headers: authorization ? { Authorization: authorization } : {} });
    expect(response.status).toBe(status);
    expect(response.headers.get('www-authenticate')).toBe(challenge);
  });
});
