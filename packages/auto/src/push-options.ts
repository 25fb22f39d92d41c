// How the preload pushes: the pusher's options from the RUNOMETER_* settings (line protocol to
// RUNOMETER_PUSH_URL), or from OpenTelemetry's variables (OTLP/HTTP, with RUNOMETER_OTLP), and
// the variable to name when one of them is refused.
import type { OtelEnvironmentOptions, PusherOptions } from '@runometer/push';
import { errorMessage } from './error-message.js';
import { shownValue, VARIABLES, type Refusal, type Settings } from './variables.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `@runometer/push`'s reader of OpenTelemetry's variables (the package is imported only to push). */
export type FromOtelEnvironment = (env: Env) => OtelEnvironmentOptions;

/** The pusher's options, or why the variables give none. */
export type PushOptionsRead = { readonly options: PusherOptions } | { readonly refusal: Refusal };

/** The OpenTelemetry variables that give each pusher option, the metrics-specific one first (as `fromOtelEnvironment` reads them). */
const OTEL_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  url: ['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'],
  headers: ['OTEL_EXPORTER_OTLP_METRICS_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'],
  timeout: ['OTEL_EXPORTER_OTLP_METRICS_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'],
  gzipThreshold: ['OTEL_EXPORTER_OTLP_METRICS_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION'],
  interval: ['OTEL_METRIC_EXPORT_INTERVAL'],
};

/** The line-protocol pusher's options and the variable each comes from. */
const LINE_PROTOCOL_VARIABLES: Readonly<Record<string, string>> = {
  url: VARIABLES.pushUrl.name,
  token: VARIABLES.pushToken.name,
  interval: VARIABLES.pushInterval.name,
};

const isSet = (env: Env, name: string) => (env[name]?.trim() ?? '') !== '';

/**
 * The pusher's options: with `RUNOMETER_OTLP`, OTLP/HTTP as OpenTelemetry's variables say
 * (`RUNOMETER_PUSH_INTERVAL`, where set, over `OTEL_METRIC_EXPORT_INTERVAL`); else line protocol
 * to `RUNOMETER_PUSH_URL`; undefined when neither is set (the meter serves).
 */
export function pushOptionsOf(settings: Settings, env: Env, fromOtelEnvironment: FromOtelEnvironment): PushOptionsRead | undefined {
  const interval = settings.pushInterval === undefined ? {} : { interval: settings.pushInterval };
  if (settings.otlp) {
    try {
      return { options: { ...fromOtelEnvironment(env), ...interval } };
    } catch (error) {
      return { refusal: otelRefusal(errorMessage(error)) };
    }
  }
  if (settings.pushUrl === undefined) return undefined;
  return { options: { url: settings.pushUrl, token: settings.pushToken, ...interval } };
}

/** `fromOtelEnvironment`'s error, which begins with the variable's name (and never shows a header's value). */
function otelRefusal(message: string): Refusal {
  const name = /^OTEL_\w+/.exec(message)?.[0] ?? VARIABLES.otlp.name;
  const rest = message.slice(name.length);
  return { name, reason: rest.startsWith(':') ? `is refused${rest}` : rest.trimStart() };
}

/** What `new Pusher()` threw, under the variable that gave the option it names. */
export function pusherRefusal(error: unknown, settings: Settings, env: Env): Refusal {
  const message = errorMessage(error);
  const option = /Pusher option (\w+)/.exec(message)?.[1] ?? 'url';
  const name = pusherOptionVariable(option, settings, env);
  // An OpenTelemetry variable's value is not shown: its headers carry credentials.
  return { name, reason: `${name.startsWith('OTEL_') ? 'is refused' : shownValue(name, env)}: ${message}` };
}

function pusherOptionVariable(option: string, settings: Settings, env: Env): string {
  if (!settings.otlp || (option === 'interval' && settings.pushInterval !== undefined))
    return LINE_PROTOCOL_VARIABLES[option] ?? VARIABLES.pushUrl.name;
  const names = OTEL_VARIABLES[option] ?? OTEL_VARIABLES['url']!;
  return names.find((name) => isSet(env, name)) ?? names.at(-1)!;
}
