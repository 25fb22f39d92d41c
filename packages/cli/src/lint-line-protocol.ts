import { parseLine, type ParsedLine } from '@runometer/core';

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

/**
 * Field types that change, within a scrape or from one scrape to the next. InfluxDB keeps one type
 * per field of a measurement (whatever the tags), and rejects a write that brings another.
 */
export function unstableFieldTypes(scrapes: readonly (readonly ParsedLine[])[]): string[] {
  const seen = new Map<string, { type: string; scrape: number }>();
  const reported = new Set<string>();
  const findings: string[] = [];
  scrapes.forEach((lines, scrape) => {
    for (const line of lines) {
      for (const [key, { type }] of Object.entries(line.fields)) {
        const field = `${line.measurement} ${key}`;
        const first = seen.get(field);
        if (first === undefined) seen.set(field, { type, scrape });
        else if (first.type !== type && !reported.has(field)) {
          reported.add(field);
          findings.push(`field "${key}" of "${line.measurement}" is ${first.type} in scrape ${first.scrape + 1} and ${type} in scrape ${scrape + 1}: InfluxDB rejects the write that changes a field's type`);
        }
      }
    }
  });
  return findings;
}
