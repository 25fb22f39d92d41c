import { authOption, commandComment, httpUrlWithoutCredentials, parseOptions, type Auth } from './command-line.js';
import { refuseControlCharacters } from './control-characters.js';
import { telegrafDuration } from './durations.js';
import { KEY, keyValues, readList } from './lists.js';
import { tomlKey, tomlLines, tomlValue } from './toml.js';
import { UsageError } from './usage-error.js';

export type TelegrafOutput =
  | { readonly type: 'influxdb'; readonly urls: readonly string[]; readonly database: string }
  | {
      readonly type: 'influxdb_v2';
      readonly urls: readonly string[];
      readonly tokenEnv: string;
      readonly organization: string;
      readonly bucket: string;
    };

/** Where Telegraf's `inputs.http_listener_v2` listens for processes that push line protocol (@runometer/push). */
export interface TelegrafListener {
  /** `host:port` or `:port` (every address), as Telegraf's `service_address`. */
  readonly address: string;
  /** The path the processes POST to; Telegraf's default, `/telegraf`, unless given. */
  readonly path?: string;
}

export interface TelegrafOptions {
  /** The endpoints to scrape; may be empty when `listen` is given. */
  readonly urls: readonly string[];
  /** A listener for processes that push instead of being scraped. */
  readonly listen?: TelegrafListener;
  readonly tags?: Readonly<Record<string, string>>;
  readonly interval?: string;
  readonly timeout?: string;
  readonly auth?: Auth;
  readonly nameOverride?: string;
  /** Drops the `url` tag Telegraf's http input adds: only for meters that tag their instance themselves. */
  readonly dropUrlTag?: boolean;
  readonly output: TelegrafOutput;
}

/** A telegraf.conf that scrapes every URL with one `[[inputs.http]]` and writes to InfluxDB; a UsageError names bad input. */
export function telegrafConfig(options: TelegrafOptions): string {
  const { urls, listen, tags = {}, interval = '10s', timeout = '5s', auth, nameOverride, dropUrlTag = false, output } = options;
  if (urls.length === 0 && listen === undefined) throw new UsageError('nothing to collect: give --url, --urls-file or --listen');
  for (const [key, value] of Object.entries(tags)) {
    refuseControlCharacters('--tag', key);
    refuseControlCharacters(`--tag ${key}`, value);
  }
  const credentials =
    auth === undefined ? {} : 'token' in auth ? { '--token': auth.token } : { '--username': auth.username, '--password': auth.password };
  const outputValues =
    output.type === 'influxdb'
      ? { '--database': output.database }
      : { '--token-env': output.tokenEnv, '--organization': output.organization, '--bucket': output.bucket };
  const values = {
    '--listen': listen?.address,
    '--listen-path': listen?.path,
    '--interval': interval,
    '--timeout': timeout,
    ...credentials,
    '--name-override': nameOverride,
    ...outputValues,
  };
  for (const [option, value] of Object.entries(values)) if (value !== undefined) refuseControlCharacters(option, value);
  if (listen !== undefined) listenAddress(listen.address);
  const listenPath = listen?.path ?? DEFAULT_LISTEN_PATH;
  if (!/^\/[\w./-]*$/.test(listenPath)) throw new UsageError(`--listen-path "${listenPath}" is not a path (it starts with /)`);
  urls.forEach((url) => httpUrlWithoutCredentials('--url', url));
  for (const key of Object.keys(tags)) if (!KEY.test(key)) throw new UsageError(`--tag "${key}" does not match ${KEY}`);
  // A timeout at or above the interval lets a slow scrape overlap the next one.
  if (telegrafDuration('--timeout', timeout) >= telegrafDuration('--interval', interval)) {
    throw new UsageError(`--timeout ${timeout} is not below --interval ${interval}`);
  }
  if (nameOverride === '') throw new UsageError('--name-override is empty');
  const influxCredentialsInstead =
    ', which the file would keep: InfluxDB 2 takes --token-env; for InfluxDB 1, ' +
    'add username and password to [[outputs.influxdb]] from the environment (password = "${INFLUX_PASSWORD}")';
  for (const url of output.urls) httpUrlWithoutCredentials('--influxdb-url', url, influxCredentialsInstead);

  const tagTable = Object.entries(tags)
    .map(([key, value]) => `    ${tomlKey(key)} = ${tomlValue(value)}\n`)
    .join('');
  const inputTags = (section: string) => (tagTable === '' ? '' : `  [${section}.tags]\n${tagTable}`);
  const scrape = [
    '\n# Runometer endpoints: line protocol on GET. Telegraf tags each metric with the `url` it came from',
    dropUrlTag
      ? ';\n# dropped here: the meters tag their instance themselves.\n'
      : '\n# (the instance) and `host` (the machine Telegraf runs on).\n',
    '[[inputs.http]]\n',
    tomlLines({
      urls,
      method: 'GET',
      data_format: 'influx',
      timeout,
      ...(auth === undefined ? {} : 'token' in auth ? { token: auth.token } : { username: auth.username, password: auth.password }),
      name_override: nameOverride,
      tagexclude: dropUrlTag ? ['url'] : undefined,
    }),
    inputTags('inputs.http'),
  ];
  const push =
    listen === undefined
      ? []
      : [
          `\n# Processes that push (@runometer/push): they POST line protocol, timestamped, to http://${listen.address.startsWith(':') ? '<this host>' : ''}${listen.address}${listenPath}.`,
          "\n# Their lines carry no `url` tag: each names itself with its meter's `instance` tag.\n",
          '[[inputs.http_listener_v2]]\n',
          tomlLines({
            service_address: listen.address,
            paths: [listenPath],
            methods: ['POST'],
            data_format: 'influx',
            name_override: nameOverride,
          }),
          inputTags('inputs.http_listener_v2'),
        ];
  return [
    '[agent]\n',
    tomlLines({ interval, round_interval: true, flush_interval: interval }),
    ...(urls.length === 0 ? [] : scrape),
    ...push,
    `\n[[outputs.${output.type}]]\n`,
    output.type === 'influxdb'
      ? tomlLines({ urls: output.urls, database: output.database })
      : tomlLines({ urls: output.urls, token: `\${${output.tokenEnv}}`, organization: output.organization, bucket: output.bucket }),
  ].join('');
}

/** Telegraf's path for http_listener_v2 when none is set. */
export const DEFAULT_LISTEN_PATH = '/telegraf';

/** `host:port` or `:port`, the port 1 to 65535; a UsageError otherwise. */
function listenAddress(address: string): string {
  const port = /^(?:\[[0-9A-Fa-f:.]+\]|[\w.-]*):(\d{1,5})$/.exec(address)?.[1];
  if (port === undefined || Number(port) < 1 || Number(port) > 65535)
    throw new UsageError(`--listen "${address}" is not host:port or :port`);
  return address;
}

const OPTIONS = {
  url: { type: 'string', multiple: true },
  'urls-file': { type: 'string' },
  listen: { type: 'string' },
  'listen-path': { type: 'string' },
  tag: { type: 'string', multiple: true },
  interval: { type: 'string' },
  timeout: { type: 'string' },
  token: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  'name-override': { type: 'string' },
  'drop-url-tag': { type: 'boolean' },
  output: { type: 'string' },
  'influxdb-url': { type: 'string', multiple: true },
  database: { type: 'string' },
  organization: { type: 'string' },
  bucket: { type: 'string' },
  'token-env': { type: 'string' },
} as const;

/** `runometer telegraf …`: the configuration for the command line's options. */
export function telegrafCommand(args: readonly string[]): string {
  const { values } = parseOptions('telegraf', args, OPTIONS);
  const urls = [
    ...(values.url ?? []),
    ...(values['urls-file'] === undefined ? [] : readList('--urls-file', values['urls-file'], httpUrlWithoutCredentials)),
  ];
  const influxdbUrls = values['influxdb-url'] ?? ['http://127.0.0.1:8086'];
  if (values['listen-path'] !== undefined && values.listen === undefined) throw new UsageError('--listen-path goes with --listen');
  const type = values.output ?? 'influxdb';
  let output: TelegrafOutput;
  if (type === 'influxdb') {
    for (const option of ['organization', 'bucket', 'token-env'] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} is for --output influxdb_v2`);
    }
    const { database = 'runometer' } = values;
    if (database === '') throw new UsageError('--database is empty');
    output = { type, urls: influxdbUrls, database };
  } else if (type === 'influxdb_v2') {
    if (values.database !== undefined) throw new UsageError('--database is for --output influxdb; InfluxDB 2 takes --bucket');
    const { organization, bucket, 'token-env': tokenEnv = 'INFLUX_TOKEN' } = values;
    if (!organization || !bucket) throw new UsageError('--output influxdb_v2 needs --organization and --bucket');
    if (!KEY.test(tokenEnv)) throw new UsageError(`--token-env "${tokenEnv}" is not an environment variable's name`);
    output = { type, urls: influxdbUrls, tokenEnv, organization, bucket };
  } else {
    throw new UsageError(`--output "${type}" is neither influxdb nor influxdb_v2`);
  }
  return (
    commandComment('telegraf', args) +
    telegrafConfig({
      urls,
      ...(values.listen === undefined
        ? {}
        : { listen: { address: values.listen, ...(values['listen-path'] === undefined ? {} : { path: values['listen-path'] }) } }),
      tags: keyValues('--tag', values.tag ?? []),
      ...(values.interval === undefined ? {} : { interval: values.interval }),
      ...(values.timeout === undefined ? {} : { timeout: values.timeout }),
      ...authOption(values),
      ...(values['name-override'] === undefined ? {} : { nameOverride: values['name-override'] }),
      dropUrlTag: values['drop-url-tag'] ?? false,
      output,
    })
  );
}
