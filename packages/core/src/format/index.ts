// `@runometer/core/format`: what the packages that serve, read or check the formats need beyond
// the root (an app needs none of it): the escaping and naming rules, the series key's limit,
// the parts of content negotiation, and a strict reader of line protocol.
export { escapeMeasurement, escapeKey, normalizeTagValue } from '../model/escaping.js';
export { formatString } from './line-protocol.js';
// For code that takes points from another process (a cluster's primary): the checks a meter makes of its own.
export { checkMeasurement, checkKey, compareByBytes } from '../model/names.js';
export { MAX_SERIES_KEY_BYTES, seriesKeyOverflow } from '../model/series-key.js';
export { checkBuckets, histogramProblem, leLabels, leTagBytes, worstQuantileError } from '../model/histogram.js';
export {
  checkNativeLayout,
  countedSpan,
  nativeBucketIndex,
  nativeProblem,
  nativeQuantileError,
  nativeUpperBound,
} from '../model/native-histogram.js';
// For formats that serve a snapshot to Prometheus: the names registration keeps apart.
export { metricName, labelName } from '../model/prometheus-names.js';
export { FORMAT_NAMES, preferred, formatSpecificity } from './formats.js';
export { parseAccept, ACCEPT_MAX_LENGTH, type MediaRange } from './accept.js';
// A strict reader of line protocol, from the grammar of Telegraf's parser: for tests and linters.
export { parseLine, parseLines, type ParsedLine, type ParsedValue } from './parse-line-protocol.js';
// Protocol Buffers' wire format for the messages formats and pushers write by hand (the Prometheus exposition's, OTLP's).
export { ProtobufWriter } from './protobuf-writer.js';
