import { toLineProtocol, type Snapshot } from '@runometer/core';
import { toJson } from './json.js';
import { toOpenMetrics, toPrometheus } from './prometheus.js';

export interface Format {
  readonly name: string;
  readonly contentType: string;
  readonly render: (snapshot: Snapshot) => string;
}

/** What the endpoint can answer, by the name `?format=` takes. The first is the default. */
export const FORMATS = {
  influx: { name: 'influx', contentType: 'text/plain; charset=utf-8', render: toLineProtocol },
  prometheus: { name: 'prometheus', contentType: 'text/plain; version=0.0.4; charset=utf-8', render: toPrometheus },
  openmetrics: { name: 'openmetrics', contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8', render: toOpenMetrics },
  json: { name: 'json', contentType: 'application/json; charset=utf-8', render: toJson },
} as const satisfies Record<string, Format>;

export type FormatName = keyof typeof FORMATS;

interface Offer {
  type: string;
  version: string | undefined;
  q: number;
}

function parseAccept(accept: string): Offer[] {
  return accept.split(',').map((part) => {
    const [type = '', ...parameters] = part.split(';').map((piece) => piece.trim());
    const parameter = (name: string) => parameters.find((p) => p.toLowerCase().startsWith(`${name}=`))?.slice(name.length + 1);
    const q = Number(parameter('q') ?? 1);
    return { type: type.toLowerCase(), version: parameter('version'), q: Number.isNaN(q) ? 0 : q };
  });
}

/** The format a media range asks for: `text/plain` is line protocol unless it says version 0.0.4. */
function formatOf({ type, version }: Offer): FormatName | undefined {
  switch (type) {
    case 'application/openmetrics-text':
      return 'openmetrics';
    case 'application/json':
      return 'json';
    case 'text/plain':
      return version === '0.0.4' ? 'prometheus' : 'influx';
    case 'text/*':
    case '*/*':
      return 'influx';
    default:
      return undefined;
  }
}

/**
 * The format to answer in: `?format=` when given, else the most preferred media range of
 * `Accept` that we serve (line protocol when there is no Accept). Undefined: nothing acceptable.
 */
export function negotiate(formatParameter: string | undefined, accept: string | undefined): Format | undefined {
  if (formatParameter !== undefined) return Object.hasOwn(FORMATS, formatParameter) ? FORMATS[formatParameter as FormatName] : undefined;
  if (accept === undefined || accept.trim() === '') return FORMATS.influx;
  let best: { format: FormatName; q: number } | undefined;
  for (const offer of parseAccept(accept)) {
    const format = formatOf(offer);
    if (format !== undefined && offer.q > 0 && (best === undefined || offer.q > best.q)) best = { format, q: offer.q };
  }
  return best && FORMATS[best.format];
}
