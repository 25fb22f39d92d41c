import { Runometer } from '@runometer/core';
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { endpointResponse, LightHeaders, LightRequest, LightResponse } from './light.js';
import { serve } from './serve.js';

const RAW = ['Host', '127.0.0.1:8890', 'Accept', 'text/plain', 'X-Twice', 'a', 'x-twice', 'b', 'Cookie', 'a=1', 'cookie', 'b=2'];

describe('LightHeaders', () => {
  test('get and has read the raw list as Headers would, case-insensitively and joined', () => {
    const headers = new LightHeaders(RAW);
    const real = new Headers(RAW.flatMap((_, i) => (i % 2 === 0 ? [[RAW[i]!, RAW[i + 1]!] as [string, string]] : [])));
    for (const name of ['host', 'ACCEPT', 'x-twice', 'absent']) {
      expect([headers.get(name), headers.has(name)]).toEqual([real.get(name), real.has(name)]);
    }
    expect(headers.get('cookie')).toBe('a=1; b=2');
  });

  test('anything else is asked of a real Headers, which answers everything from then on', () => {
    const headers = new LightHeaders(RAW);
    const entries: [string, string][] = [];
    (headers as unknown as Headers).forEach((value, name) => entries.push([name, value]));
    expect(entries).toContainEqual(['x-twice', 'a, b']);
    (headers as unknown as Headers).set('accept', 'application/json');
    expect(headers.get('Accept')).toBe('application/json');
    expect(headers.real()).toBe(headers.real());
  });
});

describe('LightRequest', () => {
  test('has its method, URL and headers; anything else comes from the real request, made once', async () => {
    const made: string[] = [];
    const request = new LightRequest('POST', 'http://127.0.0.1:8890/metrics?x=1', RAW, (url, method, headers) => {
      made.push(`${method} ${url}`);
      return new Request(url, { method, headers, body: 'posted' });
    });
    expect([request.method, request.url, request.headers.get('accept')]).toEqual([
      'POST',
      'http://127.0.0.1:8890/metrics?x=1',
      'text/plain',
    ]);
    expect(made).toEqual([]);
    expect(await (request as unknown as Request).text()).toBe('posted');
    expect((request as unknown as Request).bodyUsed).toBe(true);
    expect(made).toEqual(['POST http://127.0.0.1:8890/metrics?x=1']);
    request.headers.real().set('X-Later', 'seen by both');
    expect(request.real().headers.get('x-later')).toBe('seen by both');
  });
});

describe('LightResponse', () => {
  const init = { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '4' } };

  test('keeps what the endpoint made until something asks for more than its status', () => {
    const response = new LightResponse('up\n\n', init);
    expect([response.status, response.ok]).toEqual([200, true]);
    expect(response.unread()).toEqual({ ...init, body: 'up\n\n' });
  });

  test('then is the real Response of the same status, headers and body, which the listener writes instead', async () => {
    const response = new LightResponse('up\n\n', init) as unknown as Response;
    response.headers.set('X-Added', 'by middleware');
    expect((response as unknown as LightResponse).unread()).toBeUndefined();
    expect([response.status, response.headers.get('content-type'), response.headers.get('x-added'), await response.text()]).toEqual([
      200,
      'text/plain; charset=utf-8',
      'by middleware',
      'up\n\n',
    ]);
  });

  test('is answered to a LightRequest only: any other request gets a Response', () => {
    const light = new LightRequest('GET', 'http://h/', [], () => new Request('http://h/'));
    expect(endpointResponse(light as unknown as Request, 'x', init)).toBeInstanceOf(LightResponse);
    expect(endpointResponse(new Request('http://h/'), 'x', init)).toBeInstanceOf(Response);
  });
});

/** One request over node:http (which, unlike fetch, makes no WHATWG object): status, headers and body. */
function get(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const sent = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {} },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
      },
    );
    sent.on('error', reject).end();
  });
}

describe("serve()'s listener on Node", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const meter = () => new Runometer('app').addField('up', () => 1, { type: 'integer' });

  test('answers a scrape without making a WHATWG Request, Response or Headers', async () => {
    const served = meter();
    const server = await serve(served, { port: 0 });
    class Refused {
      constructor() {
        throw new Error('a WHATWG object was made');
      }
    }
    for (const name of ['Request', 'Response', 'Headers']) vi.stubGlobal(name, Refused);
    const answers = [
      await get(server.port, '/'),
      await get(server.port, '/metrics', { headers: { Accept: 'application/json', 'Accept-Encoding': 'gzip' } }),
    ];
    vi.unstubAllGlobals();
    expect(
      answers.map(({ status, headers, body }) => [
        status,
        headers['content-type'],
        headers['content-length'],
        headers['x-content-type-options'],
        body,
      ]),
    ).toEqual([
      [200, 'text/plain; charset=utf-8', '10', 'nosniff', 'app up=1i\n'],
      [200, 'application/json; charset=utf-8', expect.any(String), 'nosniff', expect.stringContaining('"measurement":"app"')],
    ]);
    await server.close();
    await served.close();
  });

  test("writes the app's real Responses whole, with their length: 404, 405, and HEAD", async () => {
    const served = meter();
    const server = await serve(served, { port: 0 });
    const answers = await Promise.all([
      get(server.port, '/nowhere'),
      get(server.port, '/', { method: 'POST' }),
      get(server.port, '/', { method: 'HEAD' }),
    ]);
    expect(answers.map(({ status, headers, body }) => [status, headers['content-length'], headers['allow'], body])).toEqual([
      [404, '10', undefined, 'Not Found\n'],
      [405, '19', 'GET, HEAD', 'Method Not Allowed\n'],
      [200, '10', undefined, ''],
    ]);
    await server.close();
    await served.close();
  });

  test('checks the Host first, as serveApp does: 421 to a name the server does not answer for', async () => {
    const served = meter();
    const server = await serve(served, { port: 0 });
    const refused = await get(server.port, '/', { headers: { Host: 'rebound.example' } });
    expect([refused.status, refused.headers['x-content-type-options'], refused.body]).toEqual([
      421,
      'nosniff',
      'Misdirected Request: this endpoint does not answer for host "rebound.example" (allowedHosts)\n',
    ]);
    await server.close();
    await served.close();
  });

  test('answers 400 to a request no URL can be made of', async () => {
    const served = meter();
    const server = await serve(served, { port: 0 });
    expect((await get(server.port, '/', { headers: { Host: 'exa mple' } })).status).toBe(400);
    expect((await get(server.port, '/', { headers: { Host: 'localhost:8890' } })).status).toBe(200);
    await server.close();
    await served.close();
  });
});
