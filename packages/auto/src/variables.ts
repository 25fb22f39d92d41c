// Every environment variable the preload reads, declared once: how each is read, its default and
// what it means. The README's table is written from this (src/readme.test.ts compares them).

/** A variable's value refused: why, in words that follow its name. */
export class VariableProblem extends Error {}

export interface Variable<T> {
  readonly name: `RUNOMETER_${string}`;
  /** The value when the variable is unset or empty. */
  readonly fallback: T;
  /** The default as the README shows it, where the fallback alone does not say it. */
  readonly shownDefault?: string;
  readonly what: string;
  /** A credential: never echoed in a message. */
  readonly secret?: boolean;
  /** The setting from the variable's text (never empty); throws a VariableProblem. */
  read(text: string): T;
}

const variable = <T>(declaration: Variable<T>): Variable<T> => declaration;

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

function flag(text: string): boolean {
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new VariableProblem(`is not one of ${[...TRUE, ...FALSE].join(', ')}`);
}

function port(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new VariableProblem('is not a port (an integer from 0 to 65535)');
  return value;
}

function milliseconds(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value === 0) throw new VariableProblem('is not a positive whole number of milliseconds');
  return value;
}

/** `memory` stands for `@runometer/preset-memory`; a name with a scope or a slash is a package name as it is. */
export const presetPackageName = (name: string) => (name.includes('/') || name.startsWith('@') ? name : `@runometer/preset-${name}`);

function presetList(text: string): readonly string[] {
  const names = text.split(',').map((name) => name.trim());
  if (names.some((name) => name === '' || /\s/.test(name))) throw new VariableProblem('is not a comma-separated list of package names');
  return names.map(presetPackageName);
}

function tagList(text: string): readonly (readonly [string, string])[] {
  return text.split(',').map((pair) => {
    const equals = pair.indexOf('=');
    const [key, value] = [pair.slice(0, equals).trim(), pair.slice(equals + 1).trim()];
    if (equals === -1 || key === '' || value === '') throw new VariableProblem('is not a comma-separated list of key=value');
    return [key, value] as const;
  });
}

const text = (value: string) => value;

/** The variables, by the setting each gives. */
export const VARIABLES = {
  disabled: variable({
    name: 'RUNOMETER_DISABLED',
    fallback: false,
    what: '`1` (or `true`, `yes`, `on`): the preload does nothing at all, as if it were not there.',
    read: flag,
  }),
  presets: variable<readonly string[] | undefined>({
    name: 'RUNOMETER_PRESETS',
    fallback: undefined,
    shownDefault: 'every `@runometer/preset-*` the app resolves',
    what: 'The presets to use, comma-separated: `memory,threads` (short for `@runometer/preset-memory,@runometer/preset-threads`) or any package names, resolved from the app.',
    read: presetList,
  }),
  port: variable({
    name: 'RUNOMETER_PORT',
    fallback: 8890,
    what: 'The port to serve on (0: any free one). Under PM2, each instance serves on this port plus its `NODE_APP_INSTANCE`. Set beside `RUNOMETER_PUSH_URL` or `RUNOMETER_OTLP`, the meter serves and pushes.',
    read: port,
  }),
  host: variable({
    name: 'RUNOMETER_HOST',
    fallback: '127.0.0.1',
    what: 'The address to listen on: `0.0.0.0` (or `::`) for a scraper on another host or in another container.',
    read: text,
  }),
  path: variable<string | undefined>({
    name: 'RUNOMETER_PATH',
    fallback: undefined,
    shownDefault: '`/` and `/metrics`',
    what: 'The one path to serve at (with `<path>/view`, the live view).',
    read: text,
  }),
  token: variable<string | undefined>({
    name: 'RUNOMETER_TOKEN',
    fallback: undefined,
    shownDefault: 'none',
    what: 'A bearer token every scrape must send (`Authorization: Bearer …`).',
    secret: true,
    read: text,
  }),
  username: variable<string | undefined>({
    name: 'RUNOMETER_USERNAME',
    fallback: undefined,
    shownDefault: 'none',
    what: 'With `RUNOMETER_PASSWORD`: basic auth instead of a token.',
    read: text,
  }),
  password: variable<string | undefined>({
    name: 'RUNOMETER_PASSWORD',
    fallback: undefined,
    shownDefault: 'none',
    what: 'The basic-auth password of `RUNOMETER_USERNAME`.',
    secret: true,
    read: text,
  }),
  pushUrl: variable<string | undefined>({
    name: 'RUNOMETER_PUSH_URL',
    fallback: undefined,
    shownDefault: 'none: serve',
    what: 'Push line protocol there instead of serving: the full URL to POST to (`http://influxdb:8086/write?db=runometer`, Telegraf `http_listener_v2`, VictoriaMetrics `/write`), as `@runometer/push` takes it.',
    read: text,
  }),
  pushToken: variable<string | undefined>({
    name: 'RUNOMETER_PUSH_TOKEN',
    fallback: undefined,
    shownDefault: 'none',
    what: 'Sent as `Authorization: Token …` with each push (InfluxDB 2.x/3.x, or `user:password` for 1.8+).',
    secret: true,
    read: text,
  }),
  otlp: variable({
    name: 'RUNOMETER_OTLP',
    fallback: false,
    what: "`1` (or `true`, `yes`, `on`): push OTLP/HTTP instead of serving, where and as OpenTelemetry's `OTEL_EXPORTER_OTLP_*` variables say (default `http://localhost:4318/v1/metrics`; see [OTLP](#otlp)). Those variables alone do not turn it on.",
    read: flag,
  }),
  pushInterval: variable<number | undefined>({
    name: 'RUNOMETER_PUSH_INTERVAL',
    fallback: undefined,
    shownDefault: '`10000` (OTLP: `OTEL_METRIC_EXPORT_INTERVAL` where set)',
    what: 'Milliseconds between pushes.',
    read: milliseconds,
  }),
  tags: variable<readonly (readonly [string, string])[]>({
    name: 'RUNOMETER_TAGS',
    fallback: [],
    shownDefault: 'none',
    what: 'Tags on every line: `app=checkout,env=prod`.',
    read: tagList,
  }),
  measurement: variable<string | undefined>({
    name: 'RUNOMETER_MEASUREMENT',
    fallback: undefined,
    shownDefault: 'the runtime: `node`, `bun` or `deno`',
    what: "The measurement (Prometheus: the names' prefix).",
    read: text,
  }),
} as const;

export type Settings = { readonly [K in keyof typeof VARIABLES]: (typeof VARIABLES)[K]['fallback'] };

/** A variable's value, as a message may show it: quoted, or `(set)` for a credential. */
export function shownValue(name: string, env: Readonly<Record<string, string | undefined>>): string {
  const declared = Object.values(VARIABLES).find((candidate) => candidate.name === name);
  return declared?.secret === true ? '(set)' : JSON.stringify(env[name] ?? '');
}

/** One refusal: the variable, and why. */
export interface Refusal {
  readonly name: string;
  readonly reason: string;
}

/**
 * The settings from `env`, each variable read by its declaration (unset or empty: its fallback),
 * and what was refused; the combinations that cannot work are refused too.
 */
export function readSettings(env: Readonly<Record<string, string | undefined>>): { settings: Settings; refusals: Refusal[] } {
  const refusals: Refusal[] = [];
  const settings: Record<string, unknown> = {};
  for (const [key, declared] of Object.entries(VARIABLES) as [string, Variable<unknown>][]) {
    const given = env[declared.name];
    settings[key] = declared.fallback;
    if (given === undefined || given === '') continue;
    try {
      settings[key] = declared.read(given);
    } catch (error) {
      if (!(error instanceof VariableProblem)) throw error;
      refusals.push({ name: declared.name, reason: `${shownValue(declared.name, env)} ${error.message}` });
    }
  }
  const read = settings as Settings;
  if (read.token !== undefined && (read.username !== undefined || read.password !== undefined)) {
    refusals.push({
      name: VARIABLES.token.name,
      reason: `and ${VARIABLES.username.name}/${VARIABLES.password.name} are both set: give one kind of auth`,
    });
  } else if ((read.username === undefined) !== (read.password === undefined)) {
    const [set, unset] = read.username === undefined ? [VARIABLES.password, VARIABLES.username] : [VARIABLES.username, VARIABLES.password];
    refusals.push({ name: set.name, reason: `is set without ${unset.name}: basic auth needs both` });
  }
  if (read.otlp && read.pushUrl !== undefined) {
    refusals.push({
      name: VARIABLES.otlp.name,
      reason: `and ${VARIABLES.pushUrl.name} are both set: push OTLP or line protocol, not both`,
    });
  } else if (read.otlp && read.pushToken !== undefined) {
    refusals.push({
      name: VARIABLES.pushToken.name,
      reason: `is set with ${VARIABLES.otlp.name}: OTLP's headers are OTEL_EXPORTER_OTLP_HEADERS (Authorization=…)`,
    });
  }
  return { settings: read, refusals };
}
