import { parseLines, type ParsedLine } from '../format/parse-line-protocol.js';

/** Throws unless `body` is valid InfluxDB line protocol by core's strict parser, naming the line that is not. */
export function assertValidLineProtocol(body: string): void {
  if (body === '') return;
  if (!body.endsWith('\n')) throw new Error(`the body does not end with LF: ${JSON.stringify(body.slice(-80))}`);
  body
    .slice(0, -1)
    .split('\n')
    .forEach((line, index) => {
      try {
        parseLines(`${line}\n`);
      } catch (error) {
        throw new Error(`line ${index + 1} is not valid line protocol (${(error as Error).message}): ${JSON.stringify(line)}`, {
          cause: error,
        });
      }
    });
}

/**
 * Field types that change, within a body or from one body to the next (`label` names them in the
 * findings: a render, a scrape). InfluxDB keeps one type per field of a measurement (whatever the
 * tags), and rejects a write that brings another. Each field is reported once.
 */
export function unstableFieldTypes(bodies: readonly (readonly ParsedLine[])[], label = 'body'): string[] {
  const seen = new Map<string, { type: string; body: number }>();
  const reported = new Set<string>();
  const findings: string[] = [];
  bodies.forEach((lines, body) => {
    for (const line of lines) {
      for (const [key, { type }] of Object.entries(line.fields)) {
        const field = `${line.measurement} ${key}`;
        const first = seen.get(field);
        if (first === undefined) seen.set(field, { type, body });
        else if (first.type !== type && !reported.has(field)) {
          reported.add(field);
          findings.push(
            `field "${key}" of "${line.measurement}" is ${first.type} in ${label} ${first.body + 1} and ${type} in ${label} ${body + 1}: InfluxDB rejects the write that changes a field's type`,
          );
        }
      }
    }
  });
  return findings;
}

/** Throws unless each body is valid line protocol (`assertValidLineProtocol`) and every field keeps one type across them. */
export function assertStableFieldTypes(bodies: readonly string[]): void {
  const parsed = bodies.map((body, index) => {
    try {
      assertValidLineProtocol(body);
    } catch (error) {
      throw new Error(`render ${index + 1}: ${(error as Error).message}`, { cause: error });
    }
    return parseLines(body);
  });
  const findings = unstableFieldTypes(parsed, 'render');
  if (findings.length > 0) throw new Error(findings.join('\n'));
}
