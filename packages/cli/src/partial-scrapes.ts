import { GATHER_FIELDS } from '@runometer/cluster';
import type { ParsedLine } from '@runometer/core/format';

/**
 * A scrape that left workers or threads out: each line on which the count of those that answered
 * is below the count asked (@runometer/cluster writes both on a gathering process's own line),
 * named by its `worker` and `thread` tags, with how many timed out and how many went away.
 */
export function partialScrapes(lines: readonly ParsedLine[]): string[] {
  const findings: string[] = [];
  for (const line of lines) {
    for (const gather of Object.values(GATHER_FIELDS)) {
      const count = (key: string) => {
        const field = line.fields[key];
        return field === undefined || field.type === 'string' || field.type === 'boolean' ? NaN : Number(field.value);
      };
      const asked = count(gather.asked);
      const answered = count(gather.answered);
      if (!(answered < asked)) continue;
      const who = ['worker', 'thread'].flatMap((tag) => (line.tags[tag] === undefined ? [] : [`${tag}=${line.tags[tag]}`])).join(',');
      findings.push(
        `a partial scrape: ${who === '' ? 'the line' : who} answered for ${answered} of ${asked} ${gather.what} (${count(gather.timedOut)} timed out, ${count(gather.gone)} ${gather.wentAway})`,
      );
    }
  }
  return findings;
}
