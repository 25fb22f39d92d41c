// Requests and responses of serve()'s node:http listener (listen-node-light.ts) that become WHATWG
// `Request`, `Headers` and `Response` objects only when something needs one. On Node those three
// globals are lazy: the first use of any of them loads Node's fetch implementation (undici), tens
// of milliseconds of CPU and megabytes (it shows in bench/cold-start.bench.js's `runometer` start), which a
// node:http server that answers a scrape never needs. What the endpoint reads of a request (its
// method, URL and a few headers) and what it answers (a status, headers and a whole body) pass
// through as they are; anything else asked of either (a body stream, a signal, a header set by
// middleware, `clone()`) is answered by the real object, made then, and from then on.
// Bun and Deno hand the app their own Request, and the endpoint answers them real Responses.

/** Makes the real request of a LightRequest, once: the listener knows how (its body is a stream of node:http's). */
export type MakeRequest = (url: string, method: string, headers: Headers) => Request;

/**
 * Gives `prototype` the members of the real object that its class does not answer itself: each of
 * `getters` and `methods` asks `real()`, which makes the real object on first need.
 */
function delegateToReal(
  prototype: { real(): object },
  { getters = [], methods = [] }: { getters?: readonly string[]; methods?: readonly PropertyKey[] },
): void {
  const realOf = (light: { real(): object }) => light.real() as Record<PropertyKey, unknown>;
  for (const getter of getters) {
    Object.defineProperty(prototype, getter, {
      get(this: { real(): object }) {
        return realOf(this)[getter];
      },
    });
  }
  for (const method of methods) {
    Object.defineProperty(prototype, method, {
      value(this: { real(): object }, ...args: unknown[]) {
        const real = realOf(this);
        return (real[method] as (...args: unknown[]) => unknown).apply(real, args);
      },
    });
  }
}

/** A header's values joined as `Headers.get` joins them: with ", ", and with "; " for cookie. */
function joined(raw: readonly string[], lowerName: string): string | null {
  let value: string | null = null;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) {
      value = value === null ? raw[i + 1]! : `${value}${lowerName === 'cookie' ? '; ' : ', '}${raw[i + 1]!}`;
    }
  }
  return value;
}

/**
 * A request's headers, read from node:http's raw list (`rawHeaders`: name, value, name, value…):
 * `get` and `has` without a `Headers`; anything else (iteration, a change) on a real `Headers`
 * made of the same list, which from then on answers everything.
 */
export class LightHeaders {
  #real: Headers | undefined;

  constructor(private readonly raw: readonly string[]) {}

  /** The real `Headers`, made on first need. */
  real(): Headers {
    if (this.#real === undefined) {
      this.#real = new Headers();
      for (let i = 0; i < this.raw.length; i += 2) this.#real.append(this.raw[i]!, this.raw[i + 1]!);
    }
    return this.#real;
  }

  get(name: string): string | null {
    return this.#real === undefined ? joined(this.raw, String(name).toLowerCase()) : this.#real.get(name);
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Answers from `headers` from now on: the real request's, which `Request` copied from these. */
  adopt(headers: Headers): void {
    this.#real = headers;
  }
}
delegateToReal(LightHeaders.prototype, {
  methods: ['append', 'delete', 'set', 'getSetCookie', 'forEach', 'entries', 'keys', 'values', Symbol.iterator],
});

/**
 * A request as node:http read it: `method`, `url` and `headers` of its own, every other member of
 * `Request` from the real one, made on first need (whose headers `headers` then answers from).
 */
export class LightRequest {
  readonly headers: LightHeaders;
  #real: Request | undefined;

  constructor(
    readonly method: string,
    readonly url: string,
    rawHeaders: readonly string[],
    private readonly make: MakeRequest,
  ) {
    this.headers = new LightHeaders(rawHeaders);
  }

  /** The real `Request`, made on first need; its headers are then this request's `headers` too. */
  real(): Request {
    if (this.#real === undefined) {
      this.#real = this.make(this.url, this.method, this.headers.real());
      this.headers.adopt(this.#real.headers);
    }
    return this.#real;
  }
}
const BODY_METHODS = ['arrayBuffer', 'blob', 'bytes', 'clone', 'formData', 'json', 'text'];
delegateToReal(LightRequest.prototype, {
  getters: [
    'body',
    'bodyUsed',
    'cache',
    'credentials',
    'destination',
    'duplex',
    'integrity',
    'keepalive',
    'mode',
    'redirect',
    'referrer',
    'referrerPolicy',
    'signal',
  ],
  methods: BODY_METHODS,
});

/** What the listener writes of an answer nothing has asked anything more of. */
export interface Unread {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array<ArrayBuffer>;
}

/**
 * An answer to a LightRequest: its status, headers and whole body as the endpoint made them, which
 * the listener writes as they are; every member of `Response` but `status` and `ok` from the real
 * one, made on first need, which the listener then writes instead (a middleware may have changed
 * its headers).
 */
export class LightResponse {
  #unread: Unread | undefined;
  #real: Response | undefined;

  constructor(
    body: string | Uint8Array<ArrayBuffer>,
    init: { readonly status: number; readonly headers: Readonly<Record<string, string>> },
  ) {
    this.#unread = { status: init.status, headers: init.headers, body };
  }

  /** The status, headers and body as made, while nothing has asked for the real `Response`. */
  unread(): Unread | undefined {
    return this.#unread;
  }

  /** The real `Response`, made on first need. */
  real(): Response {
    if (this.#real === undefined) {
      const { status, headers, body } = this.#unread!;
      this.#real = new Response(body, { status, headers });
      this.#unread = undefined;
    }
    return this.#real;
  }

  get status(): number {
    return this.#unread?.status ?? this.real().status;
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }
}
delegateToReal(LightResponse.prototype, {
  getters: ['body', 'bodyUsed', 'headers', 'redirected', 'statusText', 'type', 'url'],
  methods: BODY_METHODS,
});

/**
 * The endpoint's answer to `request`: a LightResponse to a LightRequest (serve() on Node), a
 * `Response` to anything else.
 */
export function endpointResponse(
  request: Request,
  body: string | Uint8Array<ArrayBuffer>,
  init: { readonly status: number; readonly headers: Readonly<Record<string, string>> },
): Response {
  return (request as unknown) instanceof LightRequest ? (new LightResponse(body, init) as unknown as Response) : new Response(body, init);
}
