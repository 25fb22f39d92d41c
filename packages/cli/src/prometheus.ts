import { commandComment, parseOptions } from './command-line.js';
import { refuseControlCharacters } from './control-characters.js';
import { prometheusDuration } from './durations.js';
import { KEY, keyValues, readList } from './lists.js';
import { UsageError } from './usage-error.js';

export interface PrometheusOptions {
  /** `host:port` of each instance. */
  readonly targets: readonly string[];
  readonly job?: string;
  readonly interval?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly metricsPath?: string;
  /** Where Prometheus or vmagent reads the targets (file_sd_configs) instead of a static list. */
  readonly fileSd?: string;
}

export interface PrometheusConfig {
  /** prometheus.yml, or vmagent's -promscrape.config. */
  readonly config: string;
  /** With `fileSd`: the JSON targets file, to write at its path. */
  readonly targetsFile?: { readonly path: string; readonly text: string };
}

const TARGET = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$/;

/** `host:port`, or a UsageError naming where the target came from. */
function hostPort(where: string, target: string): void {
  refuseControlCharacters(where, target);
  if (!TARGET.test(target))
    throw new UsageError(`${where} "${target}" is not host:port (no scheme, no path: --metrics-path sets the path)`);
}

// JSON is YAML: every string is written as a JSON string, which YAML reads unchanged.
const yaml = (text: string) => JSON.stringify(text);

/** A scrape config for the targets (static, or through a file_sd targets file); a UsageError names bad input. */
export function prometheusConfig(options: PrometheusOptions): PrometheusConfig {
  const { targets, job = 'runometer', interval = '15s', labels = {}, metricsPath = '/metrics', fileSd } = options;
  if (targets.length === 0) throw new UsageError('no target to scrape: give --target or --targets-file');
  targets.forEach((target) => refuseControlCharacters('--target', target));
  for (const [key, value] of Object.entries(labels)) {
    refuseControlCharacters('--label', key);
    refuseControlCharacters(`--label ${key}`, value);
  }
  const values = { '--job': job, '--interval': interval, '--metrics-path': metricsPath, '--file-sd': fileSd };
  for (const [option, value] of Object.entries(values)) if (value !== undefined) refuseControlCharacters(option, value);
  targets.forEach((target) => hostPort('--target', target));
  for (const key of Object.keys(labels)) {
    if (!KEY.test(key) || key.startsWith('__')) throw new UsageError(`--label "${key}" is not a label name (${KEY}, not starting with __)`);
  }
  prometheusDuration('--interval', interval);
  if (!metricsPath.startsWith('/')) throw new UsageError(`--metrics-path "${metricsPath}" does not start with /`);
  if (job === '') throw new UsageError('--job is empty');

  const labelLines = (indent: string) =>
    Object.entries(labels)
      .map(([key, value]) => `${indent}${key}: ${yaml(value)}\n`)
      .join('');
  const head = `scrape_configs:\n  - job_name: ${yaml(job)}\n    scrape_interval: ${interval}\n    metrics_path: ${yaml(metricsPath)}\n`;
  if (fileSd === undefined) {
    const static_ = `    static_configs:\n      - targets:\n${targets.map((target) => `          - ${yaml(target)}\n`).join('')}`;
    return { config: head + static_ + (Object.keys(labels).length === 0 ? '' : `        labels:\n${labelLines('          ')}`) };
  }
  if (fileSd === '') throw new UsageError('--file-sd is empty');
  return {
    // Prometheus and vmagent reread the file when it changes: a fleet grows without a restart.
    config: `${head}    file_sd_configs:\n      - files:\n          - ${yaml(fileSd)}\n`,
    targetsFile: { path: fileSd, text: `${JSON.stringify([{ targets, labels }], null, 2)}\n` },
  };
}

const OPTIONS = {
  target: { type: 'string', multiple: true },
  'targets-file': { type: 'string' },
  job: { type: 'string' },
  interval: { type: 'string' },
  label: { type: 'string', multiple: true },
  'metrics-path': { type: 'string' },
  'file-sd': { type: 'string' },
} as const;

/** `runometer prometheus …`: the scrape config, and with --file-sd the targets file to write at that path. */
export function prometheusCommand(args: readonly string[]): PrometheusConfig {
  const { values } = parseOptions('prometheus', args, OPTIONS);
  const { config, targetsFile } = prometheusConfig({
    targets: [
      ...(values.target ?? []),
      ...(values['targets-file'] === undefined ? [] : readList('--targets-file', values['targets-file'], hostPort)),
    ],
    labels: keyValues('--label', values.label ?? []),
    ...(values.job === undefined ? {} : { job: values.job }),
    ...(values.interval === undefined ? {} : { interval: values.interval }),
    ...(values['metrics-path'] === undefined ? {} : { metricsPath: values['metrics-path'] }),
    ...(values['file-sd'] === undefined ? {} : { fileSd: values['file-sd'] }),
  });
  return { config: commandComment('prometheus', args) + config, ...(targetsFile === undefined ? {} : { targetsFile }) };
}
