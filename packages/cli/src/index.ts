export { telegrafConfig, telegrafCommand, type TelegrafOptions, type TelegrafOutput } from './telegraf.js';
export { TELEGRAF_OPTIONS, type TelegrafSection } from './telegraf-options.js';
export { prometheusConfig, prometheusCommand, type PrometheusOptions, type PrometheusConfig } from './prometheus.js';
export { check, checkCommand, PROMETHEUS_ACCEPT, ScrapeError, type CheckFormat, type CheckReport } from './check.js';
export { lintLineProtocol, unstableFieldTypes, type LineProtocolLint } from './lint-line-protocol.js';
export { lintPrometheus } from './lint-prometheus.js';
export { expectedFields, CATALOG, type FieldExpectations } from './expected-fields.js';
export { run, USAGE } from './run.js';
export { UsageError } from './usage-error.js';
