import { toJson } from './json.js';
import { toLineProtocol } from './line-protocol.js';
import { toOpenMetrics, toPrometheus } from './prometheus.js';
import { toPrometheusProtobuf } from './prometheus-protobuf.js';
import type { Snapshot } from '../model/snapshot.js';
import { parseAccept, type MediaRange } from './accept.js';

/**
 * An output format: the name `?format=` takes, the `Content-Type` to send it with, and how to write
 * a snapshot (or several) in it: as text, or as bytes for a binary format (the protobuf exposition).
 */
export interface Format {
  readonly name: string;
  readonly contentType: string;
  readonly render: (snapshots: Snapshot | readonly Snapshot[]) => string | Uint8Array<ArrayBuffer>;
}

/** The parameters of the protobuf exposition's media type, which Prometheus sends and expects back. */
const PROTOBUF_PARAMETERS = { proto: 'io.prometheus.client.MetricFamily', encoding: 'delimited' } as const;

/**
 * Every format, by name. The first, line protocol, is what a request that states no preference
 * gets. The protobuf exposition, last, is only for a client that names it (see `formatSpecificity`).
 */
export const FORMATS = {
  influx: { name: 'influx', contentType: 'text/plain; charset=utf-8', render: toLineProtocol },
  prometheus: { name: 'prometheus', contentType: 'text/plain; version=0.0.4; charset=utf-8', render: toPrometheus },
  openmetrics: { name: 'openmetrics', contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8', render: toOpenMetrics },
  json: { name: 'json', contentType: 'application/json; charset=utf-8', render: toJson },
  protobuf: {
    name: 'protobuf',
    contentType: `application/vnd.google.protobuf; proto=${PROTOBUF_PARAMETERS.proto}; encoding=${PROTOBUF_PARAMETERS.encoding}`,
    render: toPrometheusProtobuf,
  },
} as const satisfies Record<string, Format>;

export type FormatName = keyof typeof FORMATS;

/** The media type each format answers as, for matching against `Accept`. */
const MEDIA_TYPES: Record<FormatName, string> = {
  influx: 'text/plain',
  prometheus: 'text/plain',
  openmetrics: 'application/openmetrics-text',
  json: 'application/json',
  protobuf: 'application/vnd.google.protobuf',
};
/** The formats' names, in the order of FORMATS. */
export const FORMAT_NAMES = Object.keys(FORMATS) as FormatName[];

/** Prometheus text: 0.0.4, and 1.0.0 (Prometheus 3 asks for it; our names fit both). */
const PROMETHEUS_TEXT_VERSIONS = new Set(['0.0.4', '1.0.0']);

/**
 * How specifically `range` names `format`: 3 for its media type with the parameters that pick
 * it (Prometheus text is `text/plain` with a version), 2 for `type/*`, 1 for `*\/*`, 0 when it
 * does not cover it. `text/plain` without a version is line protocol. The protobuf exposition is
 * covered only by its own media type with its `proto` and `encoding`, never by a wildcard: a body
 * of bytes goes to a client that said it reads that stream, as Prometheus does.
 */
export function formatSpecificity({ type, parameters }: MediaRange, format: FormatName): number {
  const mediaType = MEDIA_TYPES[format];
  if (format === 'protobuf') return type === mediaType ? protobufSpecificity(parameters) : 0;
  if (type === '*/*') return 1;
  if (type.endsWith('/*')) return mediaType.startsWith(type.slice(0, -1)) ? 2 : 0;
  if (type !== mediaType) return 0;
  if (mediaType !== 'text/plain') return 3;
  const version = parameters.get('version');
  if (format === 'prometheus') return version !== undefined && PROMETHEUS_TEXT_VERSIONS.has(version) ? 3 : 0;
  return version === undefined ? 3 : 0;
}

function protobufSpecificity(parameters: ReadonlyMap<string, string>): number {
  return parameters.get('proto') === PROTOBUF_PARAMETERS.proto && parameters.get('encoding') === PROTOBUF_PARAMETERS.encoding ? 3 : 0;
}

/**
 * The candidate the ranges give the highest q, each candidate taking the q of the most specific
 * range that covers it (`specificityOf`: 0 when the range does not); ties go to the more specific
 * range, then the earlier one, then the earlier candidate. Undefined: none is acceptable.
 */
export function preferred<T>(
  ranges: readonly MediaRange[],
  candidates: readonly T[],
  specificityOf: (range: MediaRange, candidate: T) => number,
): T | undefined {
  let best: { candidate: T; q: number; specificity: number; index: number } | undefined;
  for (const candidate of candidates) {
    let match: { q: number; specificity: number; index: number } | undefined;
    ranges.forEach((range, index) => {
      const found = specificityOf(range, candidate);
      if (found > (match?.specificity ?? 0)) match = { q: range.q, specificity: found, index };
    });
    if (match === undefined || match.q === 0) continue;
    if (
      best === undefined ||
      match.q > best.q ||
      (match.q === best.q && (match.specificity > best.specificity || (match.specificity === best.specificity && match.index < best.index)))
    ) {
      best = { candidate, ...match };
    }
  }
  return best?.candidate;
}

/**
 * The format to answer in: `?format=` when given (any case), else the format that `Accept`
 * gives the highest q (`preferred`), in the order of FORMATS on a tie (line protocol first).
 * No Accept: line protocol. Undefined: nothing acceptable.
 */
export function negotiate(formatParameter: string | undefined, accept: string | undefined): Format | undefined {
  if (formatParameter !== undefined) {
    const name = formatParameter.toLowerCase();
    return Object.hasOwn(FORMATS, name) ? FORMATS[name as FormatName] : undefined;
  }
  if (accept === undefined || accept.trim() === '') return FORMATS.influx;
  const name = preferred(parseAccept(accept), FORMAT_NAMES, formatSpecificity);
  return name && FORMATS[name];
}
