import cluster from 'node:cluster';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Runometer, type PresetClass } from '@runometer/core';
import type { Pusher } from '@runometer/push';
import { detectRuntime } from '@runometer/runtime';
import { createApp, serve, type ServeOptions, type ServerHandle } from '@runometer/server-hono';
import { gathering } from './gathering.js';
import { appFolders, installedPresetPackages, loadPackages, presetsExported, type LoadedPackage } from './presets.js';
import { errorMessage } from './error-message.js';
import { pushOptionsOf, pusherRefusal } from './push-options.js';
import { readSettings, shownValue, VARIABLES, type Refusal, type Settings } from './variables.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface StartOptions {
  /** Default `process.env`. */
  readonly env?: Env;
  /** The app's entry file, whose folder presets are resolved from first. Default `process.argv[1]`; undefined: none. */
  readonly entry?: string | undefined;
  /** Default `process.cwd()`. */
  readonly cwd?: string;
  /** Where the meter's one-line messages go. Default: stderr (`console.error`); never stdout. */
  readonly report?: (line: string) => void;
}

/** What the preload started. */
export interface AutoMeter {
  readonly meter: Runometer;
  /** The package names whose presets the meter uses (preset-http's joins at the first request the runtime publishes). */
  readonly presetPackages: readonly string[];
  readonly server: ServerHandle | undefined;
  readonly pusher: Pusher | undefined;
  /** In a node:cluster worker or a worker thread: the meter's lines go to the primary or the parent, which serves them. */
  readonly reportsTo: 'primary' | 'parent' | undefined;
  /** Stops recording, serving and pushing (a last push first), and closes the meter. */
  close(): Promise<void>;
}

/** How a line of ours begins, so that an operator reading the app's stderr knows whose it is. */
const PREFIX = 'runometer:';
const OFF = 'the meter is off, the app runs without it';

/** What a hook package (preset-http) exports for the app's traffic with no code in the app. */
type RecordServerChannels = (options: { ignore: (server: Server) => boolean; onFirstRequest: () => void }) => { close(): void };

/**
 * The package managers' own scripts (`/usr/bin/npm`, `…/npm/bin/npm-cli.js`, pnpm, yarn, corepack):
 * `NODE_OPTIONS` preloads the meter into `npm start` too, whose port the app would then find taken.
 */
const LAUNCHER = /(?:^|[/\\])(?:npm|npx|pnpm|pnpx|yarn|yarnpkg|corepack)(?:-cli)?(?:\.c?js)?$/;

/**
 * Where this process or thread stands: a package manager running the app (nothing to do), a
 * reporter (a node:cluster worker, a worker thread: its lines go to its primary or parent, which
 * serves them), a PM2 instance (serves on a port of its own), or the app itself.
 */
type Role = { kind: 'launcher' } | { kind: 'reporter'; to: 'primary' | 'parent' } | { kind: 'pm2'; instance: number } | { kind: 'app' };

async function role(env: Env, entry: string | undefined): Promise<Role> {
  if (entry !== undefined && LAUNCHER.test(entry)) return { kind: 'launcher' };
  if (!(await isMainThread())) return { kind: 'reporter', to: 'parent' };
  const instance = env['NODE_APP_INSTANCE'];
  if (instance !== undefined && /^\d+$/.test(instance)) return { kind: 'pm2', instance: Number(instance) };
  if (cluster.isWorker === true) return { kind: 'reporter', to: 'primary' };
  return { kind: 'app' };
}

/** Whether this is its process's main thread. Bun says so itself: its node:worker_threads costs 4 ms of CPU to load. */
async function isMainThread(): Promise<boolean> {
  const { Bun } = globalThis as { Bun?: { isMainThread?: boolean } };
  return Bun?.isMainThread ?? (await import('node:worker_threads')).isMainThread;
}

function refused(refusals: readonly Refusal[], report: (line: string) => void): undefined {
  for (const { name, reason } of refusals) report(`${PREFIX} ${name} ${reason}; ${OFF}`);
  return undefined;
}

/** Runs `make`, and turns what it throws into a refusal of `name`. */
function checked<T>(name: string, env: Env, refusals: Refusal[], make: () => T): T | undefined {
  try {
    return make();
  } catch (error) {
    refusals.push({ name, reason: `${shownValue(name, env)}: ${errorMessage(error)}` });
    return undefined;
  }
}

function authOf(settings: Settings): ServeOptions['auth'] {
  if (settings.token !== undefined) return { token: settings.token };
  if (settings.username !== undefined && settings.password !== undefined)
    return { username: settings.username, password: settings.password };
  return undefined;
}

/** Closes what a start made, in reverse, on any way out. */
type Closers = (() => unknown)[];

/**
 * Starts a meter for this process from `env`, as the preload does: never throws, writes only to
 * `report` (stderr), and starts nothing when a variable is refused. Resolves to undefined when
 * nothing was started.
 */
export async function startAuto(options: StartOptions = {}): Promise<AutoMeter | undefined> {
  const { env = process.env, cwd = process.cwd(), report = (line: string) => console.error(line) } = options;
  const entry = 'entry' in options ? options.entry : process.argv[1];
  const { settings, refusals } = readSettings(env);
  const where = await role(env, entry);
  if (settings.disabled || where.kind === 'launcher') return undefined;
  // A reporter's primary or parent has the same variables, and says once what it refuses.
  const say = where.kind === 'reporter' ? () => {} : report;
  if (refusals.length > 0) return refused(refusals, say);

  const folders = appFolders(entry, cwd);
  const names = settings.presets ?? installedPresetPackages(folders);
  const { loaded, missing, failed } = await loadPackages(names, folders);
  if (settings.presets !== undefined && missing.length > 0) {
    return refused([{ name: VARIABLES.presets.name, reason: `names ${missing.join(', ')}, which the app does not resolve` }], say);
  }

  // With a refused measurement, a meter of another name checks the other variables, so that every refusal is named at once.
  const meter =
    checked(VARIABLES.measurement.name, env, refusals, () => new Runometer(settings.measurement ?? detectRuntime().name)) ??
    new Runometer('runometer');
  const closers: Closers = [() => meter.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  const tags = where.kind === 'pm2' ? [...settings.tags, ['instance', String(where.instance)] as const] : settings.tags;
  checked(VARIABLES.tags.name, env, refusals, () => tags.forEach(([key, value]) => meter.addTag(key, value)));
  const path = settings.path;
  const auth = authOf(settings);
  // server-hono checks them as it builds an app: a set one is checked before anything starts, under its own variable.
  const probe = { collect: async () => [] };
  if (path !== undefined) checked(VARIABLES.path.name, env, refusals, () => createApp(probe, { path }));
  if (auth !== undefined)
    checked(settings.token !== undefined ? VARIABLES.token.name : VARIABLES.username.name, env, refusals, () => createApp(probe, { auth }));
  const gathered = gathering(meter, { forks: where.kind === 'app' && cluster.isPrimary === true, report: say });
  closers.push(() => gathered.close());
  let pusher: Pusher | undefined;
  // Imported only to push: a served meter's start does not load it.
  const pushes = (settings.pushUrl !== undefined || settings.otlp) && where.kind !== 'reporter';
  const push = pushes ? await import('@runometer/push') : undefined;
  const pushOptions = push === undefined ? undefined : pushOptionsOf(settings, env, push.fromOtelEnvironment);
  if (pushOptions !== undefined && 'refusal' in pushOptions) refusals.push(pushOptions.refusal);
  else if (push !== undefined && pushOptions !== undefined) {
    try {
      pusher = new push.Pusher(gathered.source, pushOptions.options);
    } catch (error) {
      refusals.push(pusherRefusal(error, settings, env));
    }
  }
  if (refusals.length > 0) {
    await closeAll();
    return refused(refusals, say);
  }

  // preset-http's presets join at the first request the runtime publishes: where it publishes none
  // (Bun, Deno.serve), the app's traffic is unseen, and its fields are absent rather than zero.
  const hooks = loaded.filter(({ namespace }) => typeof namespace['recordServerChannels'] === 'function');
  const presetsOf = (packages: readonly LoadedPackage[]) => packages.flatMap(({ namespace }) => presetsExported(namespace));
  const deferred: PresetClass[] = presetsOf(hooks);
  meter.use(
    ...presetsOf(loaded.filter((pkg) => !hooks.includes(pkg))),
    ...(pusher === undefined || push === undefined ? [] : [push.PushPreset]),
  );
  for (const { name, error } of failed) say(`${PREFIX} ${name} failed to load (${errorMessage(error)}); the meter goes on without it`);

  let server: ServerHandle | undefined;
  if (where.kind === 'reporter') {
    // Imported here, not with this module: a process with no workers does not load it.
    const { reportToParent, reportToPrimary } = await import('@runometer/cluster');
    const reporting = where.to === 'primary' ? reportToPrimary(gathered.source) : reportToParent(gathered.source);
    closers.push(() => reporting.close());
  } else if (pusher === undefined || (env[VARIABLES.port.name] ?? '') !== '') {
    const port = settings.port === 0 || where.kind !== 'pm2' ? settings.port : settings.port + where.instance;
    try {
      server = await serve(gathered.source, { port, hostname: settings.host, path, auth, unref: true });
      closers.push(() => server?.close());
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const taken = code === 'EADDRINUSE' || (error as Error).name === 'AddrInUse';
      say(
        `${PREFIX} cannot serve on ${settings.host}:${port}: ${taken ? 'the port is taken' : errorMessage(error)}; ` +
          (pusher === undefined ? OFF : 'the meter pushes only'),
      );
      if (pusher === undefined) {
        await closeAll();
        return undefined;
      }
    }
  }

  const isOwn = ownServerTest(() => server?.port);
  for (const { namespace } of hooks) {
    const channels = (namespace['recordServerChannels'] as RecordServerChannels)({
      ignore: isOwn,
      onFirstRequest: () => meter.use(...deferred),
    });
    closers.push(() => channels.close());
  }

  if (pusher !== undefined) {
    const started = pusher.start();
    closers.push(() => started.close());
    // A short job's last render is pushed when its own work ends; signals are the pusher's (flushOnSignals).
    const flushAtExit = () => void close();
    process.once('beforeExit', flushAtExit);
    closers.push(() => process.off('beforeExit', flushAtExit));
  }
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= closeAll());
  return {
    meter,
    presetPackages: loaded.map(({ name }) => name),
    server,
    pusher,
    reportsTo: where.kind === 'reporter' ? where.to : undefined,
    close,
  };
}

/**
 * Whether a node:http server is the meter's own endpoint (its scrapes are not the app's traffic),
 * by its port, once per server.
 */
function ownServerTest(ownPort: () => number | undefined): (server: Server) => boolean {
  const known = new WeakMap<Server, boolean>();
  return (server) => {
    let own = known.get(server);
    if (own === undefined) {
      const port = ownPort();
      if (port === undefined) return false;
      own = (server.address() as AddressInfo | null)?.port === port;
      known.set(server, own);
    }
    return own;
  };
}
