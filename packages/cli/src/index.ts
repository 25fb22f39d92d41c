export { telegrafConfig, type TelegrafOptions, type TelegrafOutput } from './telegraf.js';
export { prometheusConfig, type PrometheusOptions, type PrometheusConfig } from './prometheus.js';
export { check, MAX_BODY_BYTES, ScrapeError, type CheckFormat, type CheckOptions, type CheckReport } from './check.js';
export { lintLineProtocol, type LineProtocolLint } from './lint-line-protocol.js';
export { partialScrapes } from './partial-scrapes.js';
export { expectedFields, type FieldExpectations } from './expected-fields.js';
export { run } from './run.js';
export { UsageError } from './usage-error.js';
export type { Auth } from './command-line.js';
