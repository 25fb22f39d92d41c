/**
 * The option names Telegraf's documentation gives for each section `runometer telegraf` writes
 * (docs/CONFIGURATION.md for [agent] and every input; the READMEs of plugins/inputs/http,
 * plugins/inputs/http_listener_v2, plugins/outputs/influxdb and plugins/outputs/influxdb_v2). The tests check every option the
 * generated file sets against this list: Telegraf stops at an option it does not know.
 */
/** The options docs/CONFIGURATION.md gives every input. */
const EVERY_INPUT = [
  'interval',
  'precision',
  'collection_jitter',
  'collection_offset',
  'name_override',
  'name_prefix',
  'name_suffix',
  'alias',
  'tags',
  'namepass',
  'namedrop',
  'fieldinclude',
  'fieldexclude',
  'taginclude',
  'tagexclude',
] as const;

export const TELEGRAF_OPTIONS = {
  agent: [
    'interval',
    'round_interval',
    'metric_batch_size',
    'metric_buffer_limit',
    'collection_jitter',
    'collection_offset',
    'flush_interval',
    'flush_jitter',
    'precision',
    'debug',
    'quiet',
    'logfile',
    'hostname',
    'omit_hostname',
  ],
  'inputs.http': [
    // plugins/inputs/http/README.md
    'urls',
    'method',
    'headers',
    'body',
    'content_encoding',
    'token',
    'token_file',
    'username',
    'password',
    'success_status_codes',
    'timeout',
    'tls_ca',
    'tls_cert',
    'tls_key',
    'tls_server_name',
    'insecure_skip_verify',
    'data_format',
    'influx_parser_type',
    'influx_timestamp_precision',
    ...EVERY_INPUT,
  ],
  'inputs.http_listener_v2': [
    // plugins/inputs/http_listener_v2/README.md
    'service_address',
    'path',
    'paths',
    'path_tag',
    'methods',
    'read_timeout',
    'write_timeout',
    'max_body_size',
    'data_source',
    'tls_allowed_cacerts',
    'tls_cert',
    'tls_key',
    'basic_username',
    'basic_password',
    'http_header_tags',
    'data_format',
    ...EVERY_INPUT,
  ],
  'outputs.influxdb': ['urls', 'database', 'skip_database_creation', 'retention_policy', 'username', 'password', 'timeout', 'content_encoding', 'alias'],
  'outputs.influxdb_v2': ['urls', 'token', 'organization', 'bucket', 'timeout', 'content_encoding', 'alias'],
} as const satisfies Record<string, readonly string[]>;

export type TelegrafSection = keyof typeof TELEGRAF_OPTIONS;
