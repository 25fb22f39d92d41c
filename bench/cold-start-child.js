// A child of cold-start.bench.js, on Node, Bun or Deno: a fresh process that serves one body on
// 127.0.0.1 and prints, once listening, one JSON line: its port and when it started, in ms since
// the epoch: the parent's clock, read the same way, tells when the first body arrived. The start
// is `process.uptime()`'s zero, the earliest each runtime records: Node's and Bun's
// `performance.timeOrigin` is the same instant, Deno's comes about 30 ms later, after its own
// bootstrap (Deno 2.9). `node bench/cold-start-child.js <subject>`:
//   `bare`         a node:http server answering a constant string: the runtime alone;
//   `prom-client`  `collectDefaultMetrics()` and a node:http server answering `register.metrics()`;
//   `runometer`    the four presets served by @runometer/server-hono's `serve()`, as the preload
//                  serves them (unref'd);
//   `preloaded`    nothing: run by the parent with @runometer/auto preloaded, which serves on
//                  RUNOMETER_PORT before this module runs; it prints that port.
// Each imports what it needs once chosen, as an app's own imports would load.
const subject = process.argv[2];
// Until the parent kills it, as a server would run: the meters' servers are unref'd.
setInterval(() => {}, 2 ** 30);

/** @param {{ port: number }} server */
const ready = (server) =>
  console.log(JSON.stringify({ port: server.port, startedAt: performance.timeOrigin + performance.now() - process.uptime() * 1000 }));

/** A node:http server on a free port of 127.0.0.1, answering every request with `body()`. @param {() => Promise<string> | string} body */
async function nodeHttp(body) {
  const { createServer } = await import('node:http');
  const server = createServer(async (_request, response) => {
    const text = await body();
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('node:http listens on no port');
  return { port: address.port };
}

if (subject === 'bare') {
  ready(await nodeHttp(() => 'bare 1\n'));
} else if (subject === 'preloaded') {
  ready({ port: Number(process.env['RUNOMETER_PORT']) });
} else if (subject === 'prom-client') {
  const { default: client } = await import('prom-client');
  client.collectDefaultMetrics();
  ready(await nodeHttp(() => client.register.metrics()));
} else if (subject === 'runometer') {
  // Together, as an app's static imports load.
  const [{ Runometer }, { MemoryPreset }, { SocketsPreset }, { ThreadsPreset }, { OtherPreset }, { serve }] = await Promise.all([
    import('@runometer/core'),
    import('@runometer/preset-memory'),
    import('@runometer/preset-sockets'),
    import('@runometer/preset-threads'),
    import('@runometer/preset-other'),
    import('@runometer/server-hono'),
  ]);
  ready(await serve(new Runometer('bench').use(MemoryPreset, SocketsPreset, ThreadsPreset, OtherPreset), { port: 0, unref: true }));
} else {
  throw new Error(`unknown subject "${subject}": expected bare, prom-client, runometer or preloaded`);
}
