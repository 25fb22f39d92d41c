import type { ParsedLine } from '@runometer/core';

/** The counts @runometer/cluster writes on a gathering process's own line: of cluster workers, and of worker threads. */
const GATHERS = [
  { what: 'cluster workers', prefix: 'cluster_workers', gone: 'died' },
  { what: 'worker threads', prefix: 'worker_threads', gone: 'exited' },
] as const;

/**
 * A scrape that left workers or threads out: each line on which `<prefix>_answered` is below
 * `<prefix>_asked`, named by its `worker` and `thread` tags, with how many timed out and how many went away.
 */
export function partialScrapes(lines: readonly ParsedLine[]): string[] {
  const findings: string[] = [];
  for (const line of lines) {
    for (const { what, prefix, gone } of GATHERS) {
      const count = (name: string) => {
        const field = line.fields[`${prefix}_${name}`];
        return field === undefined || field.type === 'string' || field.type === 'boolean' ? NaN : Number(field.value);
      };
      const asked = count('asked');
      const answered = count('answered');
      if (!(answered < asked)) continue;
      const who = ['worker', 'thread'].flatMap((tag) => (line.tags[tag] === undefined ? [] : [`${tag}=${line.tags[tag]}`])).join(',');
      findings.push(
        `a partial scrape: ${who === '' ? 'the line' : who} answered for ${answered} of ${asked} ${what} (${count('timed_out')} timed out, ${count(gone)} ${gone})`,
      );
    }
  }
  return findings;
}
