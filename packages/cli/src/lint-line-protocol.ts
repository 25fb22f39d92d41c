import { parseLine, type ParsedLine } from '@runometer/core/format';

export interface LineProtocolLint {
  readonly lines: readonly ParsedLine[];
  /** Each line Telegraf's parser would reject, with why. */
  readonly findings: readonly string[];
}

/** Every line of a body read as Telegraf's `influx` parser reads it (the strict parser of @runometer/core). */
export function lintLineProtocol(body: string): LineProtocolLint {
  const lines: ParsedLine[] = [];
  const findings: string[] = [];
  body.split('\n').forEach((text, index) => {
    if (text === '' || text.startsWith('#')) return;
    try {
      lines.push(parseLine(text));
    } catch (error) {
      findings.push(`line ${index + 1} is not valid line protocol: ${(error as Error).message}`);
    }
  });
  if (lines.length === 0 && findings.length === 0) findings.push('the body holds no line of line protocol');
  return { lines, findings };
}
