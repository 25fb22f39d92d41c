import { writeFileSync } from 'node:fs';
import { checkCommand, ScrapeError } from './check.js';
import { printable } from './control-characters.js';
import { prometheusCommand } from './prometheus.js';
import { telegrafCommand } from './telegraf.js';
import { UsageError } from './usage-error.js';

export const USAGE = `Usage:
  runometer telegraf --url URL… [--urls-file F] [--listen HOST:PORT [--listen-path /telegraf]]
                     [--tag k=v…] [--interval 10s] [--timeout 5s]
                     [--token T | --username U --password P] [--name-override N] [--drop-url-tag]
                     [--output influxdb|influxdb_v2] [--influxdb-url URL…] [--database D]
                     [--organization O --bucket B [--token-env INFLUX_TOKEN]]
  runometer prometheus --target HOST:PORT… [--targets-file F] [--job J] [--interval 15s]
                       [--label k=v…] [--metrics-path /metrics] [--file-sd PATH]
  runometer check URL [--format influx|prometheus] [--token T | --username U --password P]

Exit status: 0 done (check: clean), 1 check found problems, 2 bad input or the endpoint could not be scraped.
`;

interface Output {
  write(text: string): unknown;
}

/** Runs one command line; gives its exit status. */
export async function run(args: readonly string[], stdout: Output, stderr: Output): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'telegraf':
        stdout.write(telegrafCommand(rest));
        return 0;
      case 'prometheus': {
        const { config, targetsFile } = prometheusCommand(rest);
        if (targetsFile !== undefined) {
          try {
            writeFileSync(targetsFile.path, targetsFile.text);
          } catch (error) {
            throw new UsageError(`--file-sd ${targetsFile.path}: ${(error as Error).message}`);
          }
          stderr.write(`runometer: wrote the targets to ${targetsFile.path}\n`);
        }
        stdout.write(config);
        return 0;
      }
      case 'check': {
        const { text, status } = await checkCommand(rest);
        stdout.write(text);
        return status;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof ScrapeError) {
      // A message may quote the command line, a list file or an endpoint: one line, nothing a terminal acts on.
      stderr.write(`runometer: ${printable(error.message)}\n${error instanceof UsageError ? 'runometer --help prints the usage\n' : ''}`);
      return 2;
    }
    throw error;
  }
}
